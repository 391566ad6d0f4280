-- Wavegate's initial schema.
-- Conventions: times are unix seconds (INTEGER) set by the Worker's injected clock; money is
-- integer minor units with an ISO currency code (XTR = Telegram Stars, whole stars; IDR = whole
-- rupiah, as Xendit takes it; USD, INR and USDT in cents/paise); JSON goes in TEXT columns.

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    telegram_id       INTEGER NOT NULL UNIQUE,
    username          TEXT,
    first_name        TEXT NOT NULL DEFAULT '',
    last_name         TEXT,
    language_code     TEXT,                    -- what Telegram reports
    locale            TEXT CHECK (locale IN ('en', 'ru', 'hi', 'id')), -- the user's own choice
    referral_code     TEXT NOT NULL UNIQUE,
    referred_by       INTEGER REFERENCES users(id),
    referred_at       INTEGER,
    bonus_days        INTEGER NOT NULL DEFAULT 0 CHECK (bonus_days >= 0),
    panel_user_id     INTEGER UNIQUE,
    panel_short_uuid  TEXT,
    subscription_url  TEXT,
    expires_at        INTEGER,                 -- mirrors the panel's expireAt (authoritative)
    trial_used        INTEGER NOT NULL DEFAULT 0 CHECK (trial_used IN (0, 1)),
    is_blocked        INTEGER NOT NULL DEFAULT 0 CHECK (is_blocked IN (0, 1)), -- user blocked the bot
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    CHECK (referred_by IS NULL OR referred_by <> id)
);
CREATE INDEX users_referred_by ON users (referred_by, referred_at);
CREATE INDEX users_expires_at ON users (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX users_username ON users (username COLLATE NOCASE) WHERE username IS NOT NULL;

CREATE TABLE plans (
    id                   INTEGER PRIMARY KEY,
    slug                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    days                 INTEGER NOT NULL CHECK (days > 0),
    traffic_limit_bytes  INTEGER NOT NULL CHECK (traffic_limit_bytes >= 0), -- 0 = unlimited
    traffic_strategy     TEXT NOT NULL DEFAULT 'MONTH'
                         CHECK (traffic_strategy IN ('NO_RESET', 'DAY', 'WEEK', 'MONTH', 'MONTH_ROLLING')),
    device_limit         INTEGER NOT NULL CHECK (device_limit >= 0),
    is_active            INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    sort_order           INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

CREATE TABLE plan_prices (
    plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    currency      TEXT NOT NULL CHECK (currency IN ('USD', 'XTR', 'INR', 'IDR')),
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (plan_id, currency)
);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT NOT NULL UNIQUE,       -- what invoice payloads and provider receipts carry
    user_id        INTEGER NOT NULL REFERENCES users(id),
    plan_id        INTEGER REFERENCES plans(id), -- NULL for a trial
    kind           TEXT NOT NULL CHECK (kind IN ('purchase', 'renewal', 'trial')),
    provider       TEXT NOT NULL CHECK (provider IN ('stars', 'razorpay', 'xendit', 'cryptopay', 'trial')),
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
    provisioned_at INTEGER
);
CREATE INDEX orders_user ON orders (user_id, created_at);
CREATE INDEX orders_status ON orders (status, paid_at);
CREATE UNIQUE INDEX orders_provider_external ON orders (provider, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE payments (
    id                          INTEGER PRIMARY KEY,
    order_id                    INTEGER NOT NULL REFERENCES orders(id),
    user_id                     INTEGER NOT NULL REFERENCES users(id),
    provider                    TEXT NOT NULL CHECK (provider IN ('stars', 'razorpay', 'xendit', 'cryptopay')),
    amount_minor                INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency                    TEXT NOT NULL,
    external_id                 TEXT,
    status                      TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'refunded')),
    idempotency_key             TEXT NOT NULL UNIQUE, -- e.g. 'stars:<charge id>', 'razorpay:<payment id>'
    telegram_payment_charge_id  TEXT UNIQUE,
    provider_payment_charge_id  TEXT,
    is_recurring                INTEGER NOT NULL DEFAULT 0 CHECK (is_recurring IN (0, 1)),
    metadata                    TEXT NOT NULL DEFAULT '{}',
    created_at                  INTEGER NOT NULL,
    updated_at                  INTEGER NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_user ON payments (user_id, status);

CREATE TABLE subscriptions (
    id                 INTEGER PRIMARY KEY,
    user_id            INTEGER NOT NULL REFERENCES users(id),
    plan_id            INTEGER REFERENCES plans(id),
    order_id           INTEGER UNIQUE REFERENCES orders(id), -- one period per order, ever
    source             TEXT NOT NULL CHECK (source IN ('purchase', 'renewal', 'trial', 'bonus')),
    days               INTEGER NOT NULL CHECK (days > 0),
    starts_at          INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'refunded')),
    -- Stars subscriptions: the first charge id identifies the recurring subscription for
    -- editUserStarSubscription (cancel/resume).
    stars_subscription_charge_id TEXT,
    stars_subscription_canceled  INTEGER NOT NULL DEFAULT 0 CHECK (stars_subscription_canceled IN (0, 1)),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX subscriptions_user ON subscriptions (user_id, expires_at);
CREATE INDEX subscriptions_expiry ON subscriptions (status, expires_at);

CREATE TABLE referral_transactions (
    id           INTEGER PRIMARY KEY,
    referrer_id  INTEGER NOT NULL REFERENCES users(id),
    referred_id  INTEGER REFERENCES users(id),   -- NULL for milestone rewards
    payment_id   INTEGER REFERENCES payments(id),
    kind         TEXT NOT NULL CHECK (kind IN ('first_payment', 'milestone_3', 'milestone_10', 'milestone_25')),
    bonus_days   INTEGER NOT NULL CHECK (bonus_days > 0),
    dedupe_key   TEXT NOT NULL UNIQUE,          -- 'first:<referred>' or 'milestone_<n>:<referrer>'
    created_at   INTEGER NOT NULL
);
CREATE INDEX referral_transactions_referrer ON referral_transactions (referrer_id, created_at);
CREATE INDEX referral_transactions_created ON referral_transactions (created_at, referrer_id);

CREATE TABLE promo_codes (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind         TEXT NOT NULL CHECK (kind IN ('days', 'percent')),
    value        INTEGER NOT NULL CHECK (value > 0),
    max_uses     INTEGER,                        -- NULL = unlimited
    used_count   INTEGER NOT NULL DEFAULT 0,
    valid_until  INTEGER,
    is_active    INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at   INTEGER NOT NULL,
    CHECK (kind <> 'percent' OR value <= 100)
);

CREATE TABLE promo_redemptions (
    id          INTEGER PRIMARY KEY,
    promo_id    INTEGER NOT NULL REFERENCES promo_codes(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    order_id    INTEGER REFERENCES orders(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (promo_id, user_id)
);
CREATE INDEX promo_redemptions_user ON promo_redemptions (user_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    actor       TEXT NOT NULL,                   -- 'system', 'user:<tg id>', 'admin:<tg id>', 'provider:<name>'
    action      TEXT NOT NULL,                   -- e.g. 'user.created', 'referral.recorded'
    subject     TEXT,                            -- e.g. 'user:<id>', 'order:<public id>'
    details     TEXT NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_subject ON audit_log (subject, created_at);

-- Webhook deliveries already handled (Telegram update_id, provider event ids): the first
-- insert wins; a replay finds its row and changes nothing.
CREATE TABLE processed_events (
    provider      TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    processed_at  INTEGER NOT NULL,
    PRIMARY KEY (provider, event_id)
) WITHOUT ROWID;
CREATE INDEX processed_events_age ON processed_events (processed_at);
