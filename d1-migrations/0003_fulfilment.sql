-- Fulfilment bookkeeping for durable, exactly-once provisioning.
--
-- target_expires_at: the expiry this order buys, computed once (atomically, from the user's
--   current expiry and any paid orders still in flight) before the panel is touched; every
--   retry sets the same absolute expiry, so provisioning twice never adds days twice.
-- notified_at: when the customer got the link and QR for this order (sent once, after
--   provisioning, retried separately if Telegram was down).
-- revert_expires_at / reverted_at: the expiry after a refund took the order's days back
--   (0 = nothing left, user disabled), computed once, and when the panel was updated.
ALTER TABLE orders ADD COLUMN target_expires_at INTEGER;
ALTER TABLE orders ADD COLUMN notified_at INTEGER;
ALTER TABLE orders ADD COLUMN refunded_at INTEGER;
ALTER TABLE orders ADD COLUMN revert_expires_at INTEGER;
ALTER TABLE orders ADD COLUMN reverted_at INTEGER;
ALTER TABLE orders ADD COLUMN chat_id INTEGER;           -- where to tell the customer
CREATE INDEX orders_in_flight ON orders (user_id, status, target_expires_at);
CREATE INDEX orders_unnotified ON orders (status, notified_at);

-- One provisioning at a time per user: a short lease, taken with a conditional UPDATE.
ALTER TABLE users ADD COLUMN provisioning_until INTEGER;
ALTER TABLE users ADD COLUMN panel_status TEXT;          -- ACTIVE, DISABLED, LIMITED, EXPIRED (mirror)
-- Which job holds the lease, so a job whose lease expired cannot release its successor's.
ALTER TABLE users ADD COLUMN provisioning_token TEXT;
