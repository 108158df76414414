-- Flink SQL tables over twinstream's sink topics. ${...} placeholders are filled in from the pipeline
-- configuration (kafka.bootstrap-servers, kafka.properties-file, topics.*) by io.twinstream.analytics.SqlScripts;
-- ${kafka.properties} becomes the client settings as 'properties.*' options, reading committed records only.
-- ${scan.bounded-mode} is latest-offset for a query (the scan stops at each partition's end when the query
-- starts, so it answers for "now" and finishes) and unbounded for the PostgreSQL sink job.

-- The current twin of every asset: the compacted snapshot topic as a table keyed by asset id.
CREATE TABLE twins (
  assetId           STRING,
  schemaVersion     INT,
  assetType         STRING,
  siteId            STRING,
  status            STRING,        -- ONLINE, STALE or OFFLINE
  firstSeen         BIGINT,        -- epoch ms
  lastSeen          BIGINT,        -- epoch ms, event time of the newest accepted reading
  lastSeq           BIGINT,
  eventsAccepted    BIGINT,
  duplicatesDropped BIGINT,
  outOfRangeSensors INT,
  sensors           MAP<STRING, ROW<lastValue DOUBLE, lastTimestamp BIGINT, `count` BIGINT, mean DOUBLE,
                      stddev DOUBLE, `min` DOUBLE, `max` DOUBLE, outOfRange BOOLEAN, outOfRangeCount BIGINT>>,
  snapshotTime      BIGINT,
  reason            STRING,
  health            DOUBLE,        -- 1 - the latest window anomaly score; NULL before the first score
  openAlerts        INT,
  maintenance       MAP<STRING, ROW<score DOUBLE, detector STRING, observed DOUBLE, expected DOUBLE, samples INT,
                      trendPerHour DOUBLE, rulSeconds DOUBLE>>,
  modelVersion      INT,           -- version of the asset model; NULL where it is inferred
  modelInferred     BOOLEAN,       -- TRUE where the sensors were learned (models.unknown-type=infer)
  registry          ROW<displayName STRING, parentId STRING, latitude DOUBLE, longitude DOUBLE,
                      tags ARRAY<STRING>, commissionedOn STRING>,  -- NULL if unregistered
  -- per settable property: desired and reported side by side (NULL for a model without settable properties)
  properties        MAP<STRING, ROW<desired DOUBLE, reported DOUBLE, reportedAt BIGINT, inAgreement BOOLEAN,
                      disagreeingSince BIGINT>>,
  -- commands pending, and those ended since the previous snapshot (SENT, ACKED, APPLIED, FAILED, EXPIRED, SUPERSEDED)
  commands          ARRAY<ROW<commandId STRING, name STRING, property STRING, `value` DOUBLE, state STRING, issuedAt BIGINT,
                      expiresAt BIGINT, updatedAt BIGINT, detail STRING>>,
  silence           ROW<`until` BIGINT, `by` STRING, note STRING>,  -- the asset's alert silence while it lasts
  -- energy this hour and day, the previous ones and in all (NULL for a model without energy)
  energy            ROW<ratedKw DOUBLE,
                      `hour` ROW<`start` BIGINT, producedKwh DOUBLE, consumedKwh DOUBLE, volumeM3 DOUBLE,
                               capacityFactor DOUBLE, specificEnergyKwhPerM3 DOUBLE, roundTripEfficiency DOUBLE>,
                      `day` ROW<`start` BIGINT, producedKwh DOUBLE, consumedKwh DOUBLE, volumeM3 DOUBLE,
                               capacityFactor DOUBLE, specificEnergyKwhPerM3 DOUBLE, roundTripEfficiency DOUBLE>,
                      totalProducedKwh DOUBLE, totalConsumedKwh DOUBLE>,
  lastSeenAt AS TO_TIMESTAMP_LTZ(lastSeen, 3),
  displayName AS registry.displayName,
  parentId AS registry.parentId,
  PRIMARY KEY (assetId) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = '${topics.snapshots}',
  ${kafka.properties}
  'key.format' = 'raw',
  'value.format' = 'json',
  'scan.bounded.mode' = '${scan.bounded-mode}'
);

-- Every alert lifecycle event (OPENED, UPDATED, RESOLVED), in the order they were written.
CREATE TABLE alert_events (
  alertId       STRING NOT NULL,  -- the key of the alerts table below
  schemaVersion INT,
  assetId       STRING,
  assetType     STRING,
  siteId        STRING,
  kind          STRING,            -- ANOMALY, OFFLINE, DESIRED_STATE_DRIFT, COMMAND_EXPIRED or COMMAND_FAILED
  state         STRING,            -- OPENED, UPDATED or RESOLVED
  severity      STRING,            -- WARNING or CRITICAL
  sensor        STRING,
  detector      STRING,
  score         DOUBLE,
  observed      DOUBLE,
  expected      DOUBLE,
  reason        STRING,
  startedAt     BIGINT,            -- epoch ms
  updatedAt     BIGINT,
  resolvedAt    BIGINT,            -- NULL while open
  currentValues MAP<STRING, DOUBLE>,
  registry      ROW<displayName STRING, parentId STRING, latitude DOUBLE, longitude DOUBLE,
                      tags ARRAY<STRING>, commissionedOn STRING>,
  acknowledged   BOOLEAN,          -- NULL or FALSE until an operator acknowledges it (bin/twinstream alerts ack)
  acknowledgedBy STRING,
  acknowledgedAt BIGINT,           -- epoch ms
  assignee       STRING,
  note           STRING            -- the latest note or comment
) WITH (
  'connector' = 'kafka',
  'topic' = '${topics.alerts}',
  ${kafka.properties}
  'format' = 'json',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = '${scan.bounded-mode}'
);

-- The latest state of every alert (incident), keyed by alert id: the columns of alert_events, upserted.
CREATE TABLE alerts (
  PRIMARY KEY (alertId) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = '${topics.alerts}',
  ${kafka.properties}
  'key.format' = 'raw',
  'value.format' = 'json',
  'scan.bounded.mode' = '${scan.bounded-mode}'
) LIKE alert_events (EXCLUDING OPTIONS);

-- The history of every twin: its snapshots (all of them by default; with history.min-interval, status, registry and
-- control changes and at most one other per interval), kept for history.retention. "The twin of X at T" is its newest row with snapshotTime <= T
-- (bin/twinstream sql --as-of T --asset X).
CREATE TABLE twin_history (
  snapshotAt AS TO_TIMESTAMP_LTZ(snapshotTime, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = '${topics.history}',
  ${kafka.properties}
  'format' = 'json',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = '${scan.bounded-mode}'
) LIKE twins (EXCLUDING OPTIONS EXCLUDING CONSTRAINTS);

-- Site, asset-type and fleet roll-ups, one row per group and period (PT1M, PT1H): assets by status, health and open
-- alerts at the period's end, energy over the period.
CREATE TABLE rollups (
  schemaVersion  INT,
  `scope`        STRING,           -- SITE, TYPE or FLEET
  `key`          STRING,           -- the site, the asset type, or 'fleet'
  `period`       STRING,           -- ISO-8601 duration: PT1M, PT1H
  periodStart    BIGINT,           -- epoch ms, inclusive
  periodEnd      BIGINT,           -- epoch ms, exclusive
  assets         INT,
  online         INT,
  stale          INT,
  offline        INT,
  alertingAssets INT,
  openWarning    INT,
  openCritical   INT,
  meanHealth     DOUBLE,
  worstHealth    DOUBLE,
  producedKwh    DOUBLE,           -- NULL for groups without energy sensors
  consumedKwh    DOUBLE,
  capacityFactor DOUBLE,           -- produced by rated assets / (their rated power x the period)
  specificEnergyKwhPerM3 DOUBLE,   -- consumed by assets measuring volume flow / the volume
  roundTripEfficiency DOUBLE,      -- storage discharge / charge
  periodStartAt AS TO_TIMESTAMP_LTZ(periodStart, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = '${topics.rollups}',
  ${kafka.properties}
  'format' = 'json',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = '${scan.bounded-mode}'
);

-- Each site's current state (the compacted site-state topic), keyed by site id.
CREATE TABLE site_states (
  siteId         STRING,
  schemaVersion  INT,
  `time`         BIGINT,           -- event time it holds for, epoch ms
  assets         INT,
  online         INT,
  stale          INT,
  offline        INT,
  alertingAssets INT,
  openWarning    INT,
  openCritical   INT,
  meanHealth     DOUBLE,
  worstHealth    DOUBLE,
  siteAlertId    STRING,           -- the open SITE_OUTAGE, NULL when none
  PRIMARY KEY (siteId) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = '${topics.site-state}',
  ${kafka.properties}
  'key.format' = 'raw',
  'value.format' = 'json',
  'scan.bounded.mode' = '${scan.bounded-mode}'
);
