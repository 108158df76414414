-- Registered assets by site and parent (the registry's hierarchy, twin.assets): how many, how many online, the
-- worst health and the open alerts under each parent. A registered asset's site is the registry's.
-- sort: siteId, parentId
SELECT siteId,
       parentId,
       COUNT(*)                                          AS assets,
       SUM(CASE WHEN status = 'ONLINE' THEN 1 ELSE 0 END) AS online,
       ROUND(MIN(health), 3)                             AS worst_health,
       SUM(COALESCE(openAlerts, 0))                      AS open_alerts
FROM twins
WHERE registry IS NOT NULL
GROUP BY siteId, parentId
