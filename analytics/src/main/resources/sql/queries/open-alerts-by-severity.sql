-- Open alerts (incidents not yet resolved) by severity and kind.
-- sort: severity, kind
SELECT severity, kind, COUNT(*) AS open_alerts, COUNT(DISTINCT assetId) AS assets
FROM alerts
WHERE state <> 'RESOLVED'
GROUP BY severity, kind
