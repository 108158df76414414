-- Each site's minute roll-ups over the last hour of data: assets by status, health, open alerts, energy.
-- sort: siteId, periodStartAt
SELECT `key` AS siteId, periodStartAt, assets, online, stale, offline, alertingAssets, openWarning, openCritical,
       ROUND(meanHealth, 3) AS mean_health, ROUND(worstHealth, 3) AS worst_health,
       ROUND(producedKwh, 2) AS produced_kwh, ROUND(consumedKwh, 2) AS consumed_kwh
FROM rollups
WHERE `scope` = 'SITE' AND `period` = 'PT1M'
  AND periodEnd > (SELECT MAX(periodEnd) FROM rollups WHERE `scope` = 'FLEET' AND `period` = 'PT1M') - 3600000
