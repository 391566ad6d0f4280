-- Referral rewards go through the one fulfilment pipeline as orders of their own: kind
-- 'bonus', provider 'bonus', free, already paid, their days put on the panel by the
-- provisioning queue exactly once (a panel outage delays them, never loses them) and taken
-- back by the refund rule when the payment that earned them is refunded. SQLite cannot change
-- a CHECK in place, so `orders` is rebuilt with the same columns and indexes: copied aside,
-- dropped, created anew under its own name and filled back, so every row the foreign keys of
-- payments, subscriptions and promo redemptions point at is there again when the migration
-- commits (the deferred check counts rows of the table named `orders`, not of a renamed one).
PRAGMA defer_foreign_keys = true;

CREATE TABLE orders_copy AS SELECT * FROM orders;
DROP TABLE orders;
CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT NOT NULL UNIQUE,       -- what invoice payloads and provider receipts carry
    user_id        INTEGER NOT NULL REFERENCES users(id),
    plan_id        INTEGER REFERENCES plans(id), -- NULL for a trial or a bonus
    kind           TEXT NOT NULL CHECK (kind IN ('purchase', 'renewal', 'trial', 'bonus')),
    provider       TEXT NOT NULL CHECK (provider IN ('stars', 'razorpay', 'xendit', 'cryptopay', 'trial', 'bonus')),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency       TEXT NOT NULL,
    days           INTEGER NOT NULL CHECK (days > 0),
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'paid', 'provisioned', 'failed', 'cancelled', 'refunded')),
    external_id    TEXT,                       -- the provider's order/invoice id
    metadata       TEXT NOT NULL DEFAULT '{}',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    paid_at        INTEGER,
    provisioned_at INTEGER,
    target_expires_at INTEGER,
    notified_at    INTEGER,
    refunded_at    INTEGER,
    revert_expires_at INTEGER,
    reverted_at    INTEGER,
    chat_id        INTEGER,
    taken_back_seconds INTEGER,
    notice_error   TEXT,
    requeued_at    INTEGER,
    expires_at     INTEGER
);
INSERT INTO orders (id, public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
                        external_id, metadata, created_at, updated_at, paid_at, provisioned_at, target_expires_at,
                        notified_at, refunded_at, revert_expires_at, reverted_at, chat_id, taken_back_seconds,
                        notice_error, requeued_at, expires_at)
SELECT id, public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
       external_id, metadata, created_at, updated_at, paid_at, provisioned_at, target_expires_at,
       notified_at, refunded_at, revert_expires_at, reverted_at, chat_id, taken_back_seconds,
       notice_error, requeued_at, expires_at
FROM orders_copy;
DROP TABLE orders_copy;
CREATE INDEX orders_user ON orders (user_id, created_at);
CREATE INDEX orders_status ON orders (status, paid_at);
CREATE UNIQUE INDEX orders_provider_external ON orders (provider, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX orders_in_flight ON orders (user_id, status, target_expires_at);
CREATE INDEX orders_unnotified ON orders (status, notified_at);
CREATE INDEX orders_pending_expiry ON orders (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL;

-- Each reward names its bonus order; a reward whose payment was refunded is reversed (its
-- dedupe key freed, so a milestone can be reached again by another paying friend).
ALTER TABLE referral_transactions ADD COLUMN order_id INTEGER REFERENCES orders(id);
ALTER TABLE referral_transactions ADD COLUMN reversed_at INTEGER;
CREATE INDEX referral_transactions_payment ON referral_transactions (payment_id) WHERE payment_id IS NOT NULL;
