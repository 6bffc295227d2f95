-- The change feed (Query.changes) reads the outbox as history, in the order transactions
-- committed, with a cursor an integrator keeps across restarts. `seq` alone cannot be that order:
-- it is taken at insert, so a transaction that began first may commit after a later one, and a
-- reader that had passed its seq would never see it. Each row therefore records the writing
-- transaction's id. A reader returns only rows of transactions older than every transaction still
-- running (pg_snapshot_xmin), which are all finished, and orders by (tx_id, seq): no row can later
-- appear before a cursor it has handed out.
--
-- Rows written before this migration all get tx_id 1: they keep their seq order, ahead of
-- everything written since.
ALTER TABLE "outbox" ADD COLUMN "tx_id" xid8 NOT NULL DEFAULT '1';
ALTER TABLE "outbox" ALTER COLUMN "tx_id" SET DEFAULT pg_current_xact_id();
CREATE INDEX "outbox_tx_id_seq_idx" ON "outbox"("tx_id", "seq");
