-- Gift subscriptions. The buyer pays a gift order (metadata `gift: true`) through any channel;
-- its provisioning issues one gift (a code for `https://t.me/<bot>?start=gift_<code>`) instead
-- of giving the buyer days. Whoever opens the link first — never the buyer — redeems it: a
-- free order of the plan's days for them (metadata `gift: <code>`), provisioned by the queue. A
-- refund of the buyer's payment revokes an open gift, or takes the redeemed days back.
CREATE TABLE gifts (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    order_id           INTEGER NOT NULL UNIQUE REFERENCES orders(id),
    buyer_user_id      INTEGER NOT NULL REFERENCES users(id),
    plan_id            INTEGER REFERENCES plans(id),
    days               INTEGER NOT NULL CHECK (days > 0),
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'redeemed', 'revoked')),
    recipient_user_id  INTEGER REFERENCES users(id),
    redeemed_order_id  INTEGER REFERENCES orders(id),
    created_at         INTEGER NOT NULL,
    redeemed_at        INTEGER,
    CHECK (recipient_user_id IS NULL OR recipient_user_id <> buyer_user_id)
);
