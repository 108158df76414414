-- Assets predicted to leave a sensor's valid range within the horizon (default 1 hour): the sensor whose
-- trend crosses soonest, with its remaining useful life. Change 3600 for another horizon.
-- sort: minutes_left, assetId
SELECT assetId, assetType, siteId, sensor, ROUND(rul_seconds / 60, 1) AS minutes_left,
       ROUND(trend_per_hour, 3) AS trend_per_hour
FROM (
  SELECT t.assetId, t.assetType, t.siteId, m.sensor, m.s.rulSeconds AS rul_seconds, m.s.trendPerHour AS trend_per_hour,
         ROW_NUMBER() OVER (PARTITION BY t.assetId ORDER BY m.s.rulSeconds ASC) AS soonest
  FROM twins AS t CROSS JOIN UNNEST(t.maintenance) AS m (sensor, s)
  WHERE m.s.rulSeconds IS NOT NULL AND m.s.rulSeconds <= 3600
)
WHERE soonest = 1
