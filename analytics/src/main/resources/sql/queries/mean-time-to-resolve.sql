-- Mean (and longest) time to resolve per asset type, over every resolved incident, in event time.
-- sort: assetType
SELECT assetType,
       COUNT(*)                                          AS resolved_alerts,
       ROUND(AVG(CAST(resolvedAt - startedAt AS DOUBLE)) / 1000, 1) AS mean_seconds_to_resolve,
       ROUND(MAX(CAST(resolvedAt - startedAt AS DOUBLE)) / 1000, 1) AS max_seconds_to_resolve
FROM alert_events
WHERE state = 'RESOLVED'
GROUP BY assetType
