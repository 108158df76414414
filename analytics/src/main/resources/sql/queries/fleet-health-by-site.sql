-- Fleet health by site: how many twins are online, stale or offline, and their mean and worst health.
-- sort: siteId
SELECT siteId,
       COUNT(*)                                          AS assets,
       SUM(CASE WHEN status = 'ONLINE'  THEN 1 ELSE 0 END) AS online,
       SUM(CASE WHEN status = 'STALE'   THEN 1 ELSE 0 END) AS stale,
       SUM(CASE WHEN status = 'OFFLINE' THEN 1 ELSE 0 END) AS offline,
       ROUND(AVG(health), 3)                             AS mean_health,
       ROUND(MIN(health), 3)                             AS worst_health,
       SUM(COALESCE(openAlerts, 0))                      AS open_alerts
FROM twins
GROUP BY siteId
