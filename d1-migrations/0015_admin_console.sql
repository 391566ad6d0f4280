-- The operator's console (issue 11): retried writes answer once, and the reports have indexes.

-- One row per console write, keyed by the `Idempotency-Key` the console sends with it: a
-- retried request (a lost response, a double click) gets the stored answer and does nothing
-- again. `status` is NULL while the first attempt runs.
CREATE TABLE admin_requests (
    key         TEXT PRIMARY KEY,
    admin       INTEGER NOT NULL,
    route       TEXT NOT NULL,
    status      INTEGER,
    body        TEXT,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX admin_requests_age ON admin_requests (created_at);

-- Revenue and payment lists by time; sign-ups by day; subscription periods by day.
CREATE INDEX payments_created ON payments (created_at, status);
CREATE INDEX users_created ON users (created_at);
CREATE INDEX subscriptions_period ON subscriptions (starts_at, expires_at);
