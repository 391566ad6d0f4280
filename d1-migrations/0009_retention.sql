-- Keeping customers: what the panel says of each customer, in the order it said it; panel
-- webhook deliveries in flight; node health as rows with conditional updates.
--
-- traffic_used_bytes / traffic_limit_bytes: the panel's counters as last mirrored (webhook,
--   provisioning, or the hourly sync), for /status and the cabinet without a panel call.
-- panel_seen_at: the panel time of the state mirrored (an event's signed timestamp, or when
--   the sync or a provisioning read it). An older event arriving late never rolls it back.
ALTER TABLE users ADD COLUMN traffic_used_bytes INTEGER;
ALTER TABLE users ADD COLUMN traffic_limit_bytes INTEGER;
ALTER TABLE users ADD COLUMN panel_seen_at INTEGER;

-- 0 while a delivery is being handled: a retry arriving meanwhile is asked to come back
-- (409) rather than acknowledged as done; a claim left at 0 by a crash is taken over after a
-- lease. Rows from before this migration, and every other claimant, are done (1).
ALTER TABLE processed_events ADD COLUMN done INTEGER NOT NULL DEFAULT 1;

-- Node health, one row per watched thing (a node's uuid, or 'panel'): the 5-minute cron and
-- the panel's node webhooks both change a row only with `WHERE up <> new`, so exactly one of
-- them wins a change and sends its alert.
CREATE TABLE node_states (
    key        TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    up         INTEGER NOT NULL CHECK (up IN (0, 1)),
    changed_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The hourly usage and expiry sync walks every panel user in pages (`GET /api/users/stream`),
-- one queue job per page, each advancing this cursor with a compare-and-set, so a repeated
-- job or a second sweep cannot run alongside. cursor NULL = idle (finished_at says when the
-- last sweep ended); the hourly cron starts a sweep when idle, or resumes one that stalled.
CREATE TABLE panel_sync (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    sweep       INTEGER NOT NULL,          -- which sweep the cursor belongs to
    cursor      INTEGER,                   -- the stream cursor of the next page (0 = first)
    pages       INTEGER NOT NULL DEFAULT 0, -- pages read in this sweep
    mirrored    INTEGER NOT NULL DEFAULT 0, -- customer rows changed in this sweep
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    finished_at INTEGER
);

-- A notice's claim keeps the job that delivers it until the job says it is done (sent, or
-- found stale): a claim whose job was lost (the invocation died between the claim and the
-- queue, or the job dead-lettered) is queued again by the hourly cron after an hour, for two
-- days; a job that finds its notice already done sends nothing. queued_at: when it was last
-- queued.
ALTER TABLE notices ADD COLUMN job TEXT;
ALTER TABLE notices ADD COLUMN queued_at INTEGER;
ALTER TABLE notices ADD COLUMN done_at INTEGER;
CREATE INDEX notices_undone ON notices (queued_at) WHERE done_at IS NULL AND job IS NOT NULL;
