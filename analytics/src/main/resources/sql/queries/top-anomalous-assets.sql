-- Top 10 assets by their latest anomaly score (1 - health), with the sensor that scores highest.
-- sort: anomaly_score desc, assetId
SELECT assetId, assetType, siteId, anomaly_score, sensor, detector
FROM (
  SELECT t.assetId, t.assetType, t.siteId, ROUND(1 - t.health, 3) AS anomaly_score, m.sensor,
         m.s.detector AS detector,
         ROW_NUMBER() OVER (PARTITION BY t.assetId ORDER BY m.s.score DESC) AS sensor_rank
  FROM twins AS t CROSS JOIN UNNEST(t.maintenance) AS m (sensor, s)
  WHERE t.health IS NOT NULL
)
WHERE sensor_rank = 1
ORDER BY anomaly_score DESC, assetId
LIMIT 10
