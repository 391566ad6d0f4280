-- Stars renewals and the daily check of Telegram's Stars ledger.
--
-- stars_renewal_failed: Telegram said the subscription's last renewal could not be charged
--   (`subscription` update, state `failed`); cleared when the user turns renewal back on
--   (`active`). A renewal that is paid starts a new period row, where it is 0 again.
-- ledger_cursors: how far a reconciliation has read a provider's ledger (`position` = the
--   number of transactions checked, oldest first) and when it last read to the end.
ALTER TABLE subscriptions ADD COLUMN stars_renewal_failed INTEGER NOT NULL DEFAULT 0
    CHECK (stars_renewal_failed IN (0, 1));

CREATE TABLE ledger_cursors (
    name        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL CHECK (position >= 0),
    caught_up_at INTEGER,
    updated_at  INTEGER NOT NULL
);
