-- The PostgreSQL sink: Flink JDBC tables over the tables of postgres-schema.sql, and the statements that keep
-- them equal to the current twins and alerts (tables.sql). With a primary key the JDBC connector writes
-- upserts (INSERT ... ON CONFLICT DO UPDATE), so a replay after a failure rewrites the same rows: at-least-once
-- delivery gives an exact table. Buffered rows are flushed at every checkpoint.

CREATE TABLE pg_twin_snapshots (
  asset_id STRING, asset_type STRING, site_id STRING, status STRING,
  first_seen TIMESTAMP(3), last_seen TIMESTAMP(3), last_seq BIGINT, events_accepted BIGINT,
  duplicates_dropped BIGINT, out_of_range_sensors INT, health DOUBLE, open_alerts INT,
  snapshot_time TIMESTAMP(3), reason STRING, sensors STRING, maintenance STRING,
  model_version INT, display_name STRING, parent_id STRING, latitude DOUBLE, longitude DOUBLE, tags STRING,
  properties STRING, commands STRING, silenced_until TIMESTAMP(3), energy STRING,
  PRIMARY KEY (asset_id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = '${postgres.url}',
  'table-name' = 'twin_snapshots',
  'username' = '${postgres.user}',
  'password' = '${postgres.password}',
  'sink.buffer-flush.max-rows' = '${postgres.batch-rows}',
  'sink.buffer-flush.interval' = '${postgres.flush-interval}',
  'sink.max-retries' = '${postgres.max-retries}'
);

CREATE TABLE pg_alerts (
  alert_id STRING, asset_id STRING, asset_type STRING, site_id STRING, kind STRING, state STRING,
  severity STRING, sensor STRING, detector STRING, score DOUBLE, observed DOUBLE, expected DOUBLE,
  reason STRING, started_at TIMESTAMP(3), updated_at TIMESTAMP(3), resolved_at TIMESTAMP(3),
  current_values STRING, display_name STRING, parent_id STRING,
  acknowledged BOOLEAN, acknowledged_by STRING, acknowledged_at TIMESTAMP(3), assignee STRING, note STRING,
  PRIMARY KEY (alert_id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = '${postgres.url}',
  'table-name' = 'alerts',
  'username' = '${postgres.user}',
  'password' = '${postgres.password}',
  'sink.buffer-flush.max-rows' = '${postgres.batch-rows}',
  'sink.buffer-flush.interval' = '${postgres.flush-interval}',
  'sink.max-retries' = '${postgres.max-retries}'
);

INSERT INTO pg_twin_snapshots
SELECT assetId, assetType, siteId, status,
       CAST(TO_TIMESTAMP_LTZ(firstSeen, 3) AS TIMESTAMP(3)), CAST(TO_TIMESTAMP_LTZ(lastSeen, 3) AS TIMESTAMP(3)),
       lastSeq, eventsAccepted, duplicatesDropped, outOfRangeSensors, health, openAlerts,
       CAST(TO_TIMESTAMP_LTZ(snapshotTime, 3) AS TIMESTAMP(3)), reason,
       JSON_STRING(sensors), JSON_STRING(maintenance),
       modelVersion, registry.displayName, registry.parentId, registry.latitude, registry.longitude,
       JSON_STRING(registry.tags), JSON_STRING(properties), JSON_STRING(commands),
       CAST(TO_TIMESTAMP_LTZ(silence.`until`, 3) AS TIMESTAMP(3)), JSON_STRING(energy)
FROM twins;

INSERT INTO pg_alerts
SELECT alertId, assetId, assetType, siteId, kind, state, severity, sensor, detector, score, observed, expected,
       reason, CAST(TO_TIMESTAMP_LTZ(startedAt, 3) AS TIMESTAMP(3)), CAST(TO_TIMESTAMP_LTZ(updatedAt, 3) AS TIMESTAMP(3)),
       CAST(TO_TIMESTAMP_LTZ(resolvedAt, 3) AS TIMESTAMP(3)), JSON_STRING(currentValues),
       registry.displayName, registry.parentId, acknowledged, acknowledgedBy,
       CAST(TO_TIMESTAMP_LTZ(acknowledgedAt, 3) AS TIMESTAMP(3)), assignee, note
FROM alerts;

CREATE TABLE pg_twin_history (
  asset_id STRING, snapshot_time TIMESTAMP(3), reason STRING, asset_type STRING, site_id STRING, status STRING,
  last_seen TIMESTAMP(3), health DOUBLE, open_alerts INT, sensors STRING, properties STRING,
  PRIMARY KEY (asset_id, snapshot_time, reason) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = '${postgres.url}',
  'table-name' = 'twin_history',
  'username' = '${postgres.user}',
  'password' = '${postgres.password}',
  'sink.buffer-flush.max-rows' = '${postgres.batch-rows}',
  'sink.buffer-flush.interval' = '${postgres.flush-interval}',
  'sink.max-retries' = '${postgres.max-retries}'
);

INSERT INTO pg_twin_history
SELECT assetId, CAST(TO_TIMESTAMP_LTZ(snapshotTime, 3) AS TIMESTAMP(3)), reason, assetType, siteId, status,
       CAST(TO_TIMESTAMP_LTZ(lastSeen, 3) AS TIMESTAMP(3)), health, openAlerts, JSON_STRING(sensors),
       JSON_STRING(properties)
FROM twin_history;

CREATE TABLE pg_rollups (
  `scope` STRING, group_key STRING, `period` STRING, period_start TIMESTAMP(3), period_end TIMESTAMP(3),
  assets INT, online INT, stale INT, offline INT, alerting_assets INT, open_warning INT, open_critical INT,
  mean_health DOUBLE, worst_health DOUBLE, produced_kwh DOUBLE, consumed_kwh DOUBLE, capacity_factor DOUBLE,
  specific_energy_kwh_per_m3 DOUBLE, round_trip_efficiency DOUBLE,
  PRIMARY KEY (`scope`, group_key, `period`, period_start) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = '${postgres.url}',
  'table-name' = 'rollups',
  'username' = '${postgres.user}',
  'password' = '${postgres.password}',
  'sink.buffer-flush.max-rows' = '${postgres.batch-rows}',
  'sink.buffer-flush.interval' = '${postgres.flush-interval}',
  'sink.max-retries' = '${postgres.max-retries}'
);

INSERT INTO pg_rollups
SELECT `scope`, `key`, `period`, CAST(TO_TIMESTAMP_LTZ(periodStart, 3) AS TIMESTAMP(3)),
       CAST(TO_TIMESTAMP_LTZ(periodEnd, 3) AS TIMESTAMP(3)), assets, online, stale, offline, alertingAssets,
       openWarning, openCritical, meanHealth, worstHealth, producedKwh, consumedKwh, capacityFactor,
       specificEnergyKwhPerM3, roundTripEfficiency
FROM rollups;
