-- Critical alerts open for more than 15 minutes that nobody has acknowledged yet, oldest first: whom to page again.
-- sort: startedAt
SELECT alertId, assetId, siteId, kind, sensor, reason, TO_TIMESTAMP_LTZ(startedAt, 3) AS startedAt, assignee
FROM alerts
WHERE state <> 'RESOLVED' AND severity = 'CRITICAL' AND (acknowledged IS NULL OR NOT acknowledged)
  AND startedAt < UNIX_TIMESTAMP() * 1000 - 15 * 60 * 1000
