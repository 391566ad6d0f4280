-- What a customer was told about one subscription period, once: the reminders before expiry
-- and the expiry notice. `period` is the expiry the notice is about (users.expires_at as the
-- panel had it), so a renewal (a new expiry) re-arms every reminder. The hourly cron and the
-- panel's `user.expiration` / `user.expired` webhooks both claim here: whoever is first sends.
CREATE TABLE notices (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,              -- expiring_72, expiring_24, expired
    period     INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind, period)
);
