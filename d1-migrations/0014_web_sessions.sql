-- Web cabinet sessions (docs/API.md "Sessions"). A sign-in starts a family; each refresh token
-- of it is stored only as its SHA-256, used once, and names the token that replaced it. A spent
-- token presented again revokes its family (a stolen copy is in use). Access tokens are JWTs
-- checked against a KV denylist, so they need no table.
CREATE TABLE session_families (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    via         TEXT NOT NULL CHECK (via IN ('widget', 'webapp')),
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX session_families_user ON session_families(user_id);

CREATE TABLE refresh_tokens (
    token_hash   TEXT PRIMARY KEY,
    family_id    TEXT NOT NULL REFERENCES session_families(id),
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER,
    replaced_by  TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
