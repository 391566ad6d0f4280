-- Broadcasts: an admin's message, its filter, and one row per recipient snapshotted when it
-- is sent. A recipient moves pending → claimed (by one queue job, in one statement) → sent,
-- blocked or failed; a claim is never handed out again, so nobody gets a broadcast twice even
-- when a job dies mid-batch and is retried. 429s put the unsent claims back to pending and pause
-- the broadcast for retry_after.
CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    admin_telegram_id   INTEGER NOT NULL,
    text                TEXT NOT NULL,
    button_label        TEXT,
    button_url          TEXT,
    audience            TEXT NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'active', 'expired', 'never_paid')),
    locale              TEXT CHECK (locale IN ('en', 'ru', 'hi', 'id')),
    status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'done', 'cancelled')),
    control_chat_id     INTEGER,
    control_message_id  INTEGER,
    total               INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    started_at          INTEGER,
    touched_at          INTEGER,
    paused_until        INTEGER,                  -- Telegram's retry_after, a channel failure
    finished_at         INTEGER
);
CREATE INDEX broadcasts_sending ON broadcasts (status, touched_at);

CREATE TABLE broadcast_recipients (
    broadcast_id  INTEGER NOT NULL REFERENCES broadcasts(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    telegram_id   INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'sent', 'blocked', 'failed')),
    claimed_at    INTEGER,
    done_at       INTEGER,
    PRIMARY KEY (broadcast_id, user_id)
) WITHOUT ROWID;
CREATE INDEX broadcast_recipients_status ON broadcast_recipients (broadcast_id, status, user_id);
