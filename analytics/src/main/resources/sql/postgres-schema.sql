-- PostgreSQL tables that twinstream's PostgreSQL sink job keeps current (upserts by primary key).
-- Times are UTC timestamps (event time); JSON columns hold the per-sensor detail as the topics carry it.
-- `bin/twinstream postgres-sink` runs this file first unless --postgres.create-tables false.

CREATE TABLE IF NOT EXISTS twin_snapshots (
    asset_id             TEXT PRIMARY KEY,
    asset_type           TEXT NOT NULL,
    site_id              TEXT NOT NULL,
    status               TEXT NOT NULL,          -- ONLINE, STALE or OFFLINE
    first_seen           TIMESTAMP,
    last_seen            TIMESTAMP NOT NULL,     -- event time of the newest accepted reading
    last_seq             BIGINT NOT NULL,
    events_accepted      BIGINT NOT NULL,
    duplicates_dropped   BIGINT NOT NULL,
    out_of_range_sensors INTEGER NOT NULL,
    health               DOUBLE PRECISION,       -- 1 - latest window anomaly score; NULL before the first score
    open_alerts          INTEGER,
    snapshot_time        TIMESTAMP NOT NULL,
    reason               TEXT NOT NULL,
    sensors              JSONB NOT NULL,         -- {sensor: {lastValue, lastTimestamp, count, mean, stddev, min, max, ...}}
    maintenance          JSONB                   -- {sensor: {score, detector, trendPerHour, rulSeconds, ...}}
);
CREATE INDEX IF NOT EXISTS twin_snapshots_site ON twin_snapshots (site_id);
-- added with the asset registry and user models; ADD COLUMN IF NOT EXISTS upgrades a table of an earlier release
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS model_version INTEGER;
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS display_name TEXT;
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS parent_id TEXT;
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS latitude DOUBLE PRECISION;
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS longitude DOUBLE PRECISION;
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS tags JSONB;
-- added with two-way twins: desired and reported settable properties, commands, the asset's alert silence
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS properties JSONB;      -- {property: {desired, reported, inAgreement, ...}}
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS commands JSONB;        -- [{commandId, property, value, state, ...}]
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS silenced_until TIMESTAMP;
-- added with the fleet view: energy this hour and day, previous ones, totals, figures of merit
ALTER TABLE twin_snapshots ADD COLUMN IF NOT EXISTS energy JSONB;

CREATE TABLE IF NOT EXISTS alerts (
    alert_id       TEXT PRIMARY KEY,
    asset_id       TEXT NOT NULL,
    asset_type     TEXT NOT NULL,
    site_id        TEXT NOT NULL,
    kind           TEXT NOT NULL,                -- ANOMALY, OFFLINE, DESIRED_STATE_DRIFT, COMMAND_EXPIRED, COMMAND_FAILED
    state          TEXT NOT NULL,                -- OPENED, UPDATED or RESOLVED (the latest event)
    severity       TEXT NOT NULL,                -- WARNING or CRITICAL
    sensor         TEXT,
    detector       TEXT,
    score          DOUBLE PRECISION NOT NULL,
    observed       DOUBLE PRECISION,
    expected       DOUBLE PRECISION,
    reason         TEXT NOT NULL,
    started_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    resolved_at    TIMESTAMP,
    current_values JSONB
);
CREATE INDEX IF NOT EXISTS alerts_asset ON alerts (asset_id);
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS display_name TEXT;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS parent_id TEXT;
CREATE INDEX IF NOT EXISTS alerts_open ON alerts (severity) WHERE state <> 'RESOLVED';
-- added with operator actions (bin/twinstream alerts ack|assign|comment)
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS acknowledged BOOLEAN;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS acknowledged_by TEXT;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS acknowledged_at TIMESTAMP;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS assignee TEXT;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS note TEXT;
-- e.g. unacknowledged critical alerts open for more than 15 minutes:
--   SELECT alert_id, asset_id, started_at FROM alerts WHERE state <> 'RESOLVED' AND severity = 'CRITICAL'
--     AND acknowledged IS NOT TRUE AND started_at < now() AT TIME ZONE 'UTC' - interval '15 minutes' ORDER BY started_at;

-- added with the fleet view: the twins' history, append-only (one row per history record of the twin.history topic;
-- a replay after a failure rewrites the same rows). Indexed by asset and time, and by time alone.
CREATE TABLE IF NOT EXISTS twin_history (
    asset_id       TEXT NOT NULL,
    snapshot_time  TIMESTAMP NOT NULL,
    reason         TEXT NOT NULL,                -- CHANGE, STATUS, PERIODIC, REGISTRY, CONTROL or FINAL
    asset_type     TEXT NOT NULL,
    site_id        TEXT NOT NULL,
    status         TEXT NOT NULL,
    last_seen      TIMESTAMP NOT NULL,
    health         DOUBLE PRECISION,
    open_alerts    INTEGER,
    sensors        JSONB NOT NULL,
    properties     JSONB,
    PRIMARY KEY (asset_id, snapshot_time, reason)
);
CREATE INDEX IF NOT EXISTS twin_history_time ON twin_history (snapshot_time);
-- e.g. all twins of site-a as they were at 10:00 UTC:
--   SELECT DISTINCT ON (asset_id) asset_id, status, health, snapshot_time FROM twin_history
--     WHERE site_id = 'site-a' AND snapshot_time <= TIMESTAMP '2026-12-04 10:00:00' ORDER BY asset_id, snapshot_time DESC;

-- site, asset-type and fleet roll-ups, one row per group and period (a replay after a failure rewrites the same rows)
CREATE TABLE IF NOT EXISTS rollups (
    scope            TEXT NOT NULL,              -- SITE, TYPE or FLEET
    group_key        TEXT NOT NULL,              -- the site, the asset type, or 'fleet'
    period           TEXT NOT NULL,              -- PT1M, PT1H
    period_start     TIMESTAMP NOT NULL,
    period_end       TIMESTAMP NOT NULL,
    assets           INTEGER NOT NULL,
    online           INTEGER NOT NULL,
    stale            INTEGER NOT NULL,
    offline          INTEGER NOT NULL,
    alerting_assets  INTEGER NOT NULL,
    open_warning     INTEGER NOT NULL,
    open_critical    INTEGER NOT NULL,
    mean_health      DOUBLE PRECISION,
    worst_health     DOUBLE PRECISION,
    produced_kwh     DOUBLE PRECISION,
    consumed_kwh     DOUBLE PRECISION,
    capacity_factor  DOUBLE PRECISION,
    specific_energy_kwh_per_m3 DOUBLE PRECISION,
    round_trip_efficiency      DOUBLE PRECISION,
    PRIMARY KEY (scope, group_key, period, period_start)
);
-- e.g. each site's energy per hour: SELECT group_key, period_start, produced_kwh, consumed_kwh FROM rollups
--   WHERE scope = 'SITE' AND period = 'PT1H' ORDER BY group_key, period_start;
