-- Promo codes at work. A percent code's redemption is a discount the customer holds until an
-- order spends it: the order priced with it names the redemption, and the payment that pays
-- that order sets the redemption's `order_id` (once: a second order priced with the same
-- discount is refused at pre-checkout). A days code's redemption names its bonus order at once.
ALTER TABLE orders ADD COLUMN promo_redemption_id INTEGER REFERENCES promo_redemptions(id);
CREATE INDEX promo_redemptions_open ON promo_redemptions (user_id) WHERE order_id IS NULL;
-- Who created a code (an admin's Telegram id), for the list and the audit trail.
ALTER TABLE promo_codes ADD COLUMN created_by INTEGER;
