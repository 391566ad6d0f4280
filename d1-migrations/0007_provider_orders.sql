-- Orders paid through a provider's own object (a Razorpay payment link, a Xendit QRIS payment
-- request, a Crypto Pay invoice): `external_id` (0001) names that object, and `expires_at` is
-- when the order stops waiting for money (the provider's expiry plus a margin). The hourly cron
-- closes pending orders past it; money that arrives later is still honoured, as a new order.
ALTER TABLE orders ADD COLUMN expires_at INTEGER;
CREATE INDEX orders_pending_expiry ON orders (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL;
