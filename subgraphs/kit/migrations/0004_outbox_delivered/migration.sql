-- When every durable consumer had acknowledged an event (embedded mode's in-process bus only):
-- a restart republishes only events published but not yet acknowledged, instead of a day of history.
ALTER TABLE "outbox" ADD COLUMN "delivered_at" TIMESTAMPTZ(3);
