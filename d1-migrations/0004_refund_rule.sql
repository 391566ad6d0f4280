-- The refund rule and reconciliation that makes progress.
--
-- taken_back_seconds: how much of the order's own period a refund took back (the unused
--   part; 0 when the period was over), decided once with revert_expires_at. The user's later
--   periods move earlier by exactly this much.
-- notice_error: the channel refused the "your VPN is ready" notice for good (chat not found,
--   …); the order is not re-queued for it again.
-- requeued_at: when the hourly reconciliation last re-queued the order, so that it visits the
--   least recently tried first and permanent failures cannot starve newer stragglers.
ALTER TABLE orders ADD COLUMN taken_back_seconds INTEGER;
ALTER TABLE orders ADD COLUMN notice_error TEXT;
ALTER TABLE orders ADD COLUMN requeued_at INTEGER;
