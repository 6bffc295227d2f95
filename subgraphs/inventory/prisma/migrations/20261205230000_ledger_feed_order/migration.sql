-- stockMovements (the ledger feed for goods-movement posting) reads the ledger in commit order,
-- as the change feed reads the outbox (kit migration 0006): by (writing transaction, seq), and
-- only movements of transactions older than every one still running. A seq alone can be passed
-- by a reader before the transaction that took a lower one commits.
--
-- Movements written before this migration get tx_id 1: they keep their seq order, first.
ALTER TABLE "stock_movement" ADD COLUMN "tx_id" xid8 NOT NULL DEFAULT '1';
ALTER TABLE "stock_movement" ALTER COLUMN "tx_id" SET DEFAULT pg_current_xact_id();
CREATE INDEX "stock_movement_tx_id_seq_idx" ON "stock_movement"("tx_id", "seq");
