-- Counters for events no other table records (GET /metrics, docs/OPERATIONS.md "Metrics"):
-- webhook rejects, 5xx answers, queue retries and dead letters. Everything else /metrics
-- reports (payments, revenue, provisioning lag, active subscriptions, reminders, broadcast
-- sends) is counted from the shop's own tables when scraped, so it cannot drift from them.
--
-- One row per counter and label set, incremented by an UPSERT: D1 serializes writes, so
-- concurrent isolates never lose an increment, and the value survives every isolate.
-- `labels` is a Prometheus label set (`route="razorpay",reason="unauthorized"`) built by the
-- Worker from fixed words only: no request data ever becomes a label.
CREATE TABLE metric_counters (
    name        TEXT NOT NULL,
    labels      TEXT NOT NULL DEFAULT '',
    value       INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (name, labels)
) WITHOUT ROWID;
