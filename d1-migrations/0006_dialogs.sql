-- A multi-step bot flow waiting for the user's next message (promo code entry now; broadcast
-- text later): what it waits for, and until when. One per user, on the user's row so that
-- reading it costs no extra D1 round trip; a command, an answer or the expiry ends it.
ALTER TABLE users ADD COLUMN dialog TEXT;
ALTER TABLE users ADD COLUMN dialog_expires_at INTEGER;
