-- CreateEnum
CREATE TYPE "SerialStatus" AS ENUM ('AVAILABLE', 'INSTALLED', 'ON_HOLD', 'CONSUMED', 'SHIPPED', 'SCRAPPED');

-- AlterTable
-- actor_name and balance are NOT NULL, but databases migrated from init already hold receipts:
-- add them nullable, backfill, then tighten.
ALTER TABLE "stock_movement" ADD COLUMN     "actor_name" TEXT,
ADD COLUMN     "balance" DECIMAL(20,6),
ADD COLUMN     "from_location_id" UUID,
ADD COLUMN     "run_id" UUID,
ADD COLUMN     "shipment_id" UUID,
ADD COLUMN     "to_location_id" UUID;

-- Backfill: the ledger is append-only, so the guard is lifted for this one schema change only.
-- The actor's name comes from the audit entry of the same change (receipts were the only
-- movements before this migration); the balance is the running sum per lot.
ALTER TABLE "stock_movement" DISABLE TRIGGER "stock_movement_no_update";
UPDATE "stock_movement" m
   SET "actor_name" = COALESCE(
         (SELECT a."actor_name" FROM "audit_log" a
           WHERE a."entity_type" = 'Lot' AND a."entity_id" = m."lot_id"::text AND a."actor_id" = m."actor_id"
           ORDER BY a."seq" LIMIT 1),
         m."actor_id"),
       "balance" = (SELECT sum(p."quantity") FROM "stock_movement" p
                     WHERE p."lot_id" = m."lot_id" AND p."seq" <= m."seq");
ALTER TABLE "stock_movement" ENABLE TRIGGER "stock_movement_no_update";
ALTER TABLE "stock_movement" ALTER COLUMN "actor_name" SET NOT NULL,
ALTER COLUMN "balance" SET NOT NULL;

-- CreateTable
CREATE TABLE "serial_unit" (
    "id" UUID NOT NULL,
    "serial_number" TEXT NOT NULL,
    "material_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "status" "SerialStatus" NOT NULL,
    "location_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "serial_unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "shipped_at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_name" TEXT NOT NULL,

    CONSTRAINT "shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment_line" (
    "shipment_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "lot_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "shipment_line_pkey" PRIMARY KEY ("shipment_id","line_no")
);

-- CreateIndex
CREATE INDEX "serial_unit_lot_id_serial_number_idx" ON "serial_unit"("lot_id", "serial_number");

-- CreateIndex
CREATE INDEX "serial_unit_serial_number_idx" ON "serial_unit"("serial_number");

-- CreateIndex
CREATE UNIQUE INDEX "serial_unit_material_id_serial_number_key" ON "serial_unit"("material_id", "serial_number");

-- CreateIndex
CREATE INDEX "shipment_shipped_at_id_idx" ON "shipment"("shipped_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "shipment_customer_id_shipped_at_id_idx" ON "shipment"("customer_id", "shipped_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "shipment_line_lot_id_idx" ON "shipment_line"("lot_id");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_line_shipment_id_lot_id_key" ON "shipment_line"("shipment_id", "lot_id");

-- CreateIndex
CREATE INDEX "stock_movement_run_id_idx" ON "stock_movement"("run_id");

-- AddForeignKey
ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_from_location_id_fkey" FOREIGN KEY ("from_location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_to_location_id_fkey" FOREIGN KEY ("to_location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "serial_unit" ADD CONSTRAINT "serial_unit_material_id_fkey" FOREIGN KEY ("material_id") REFERENCES "material"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "serial_unit" ADD CONSTRAINT "serial_unit_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "serial_unit" ADD CONSTRAINT "serial_unit_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment" ADD CONSTRAINT "shipment_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_line" ADD CONSTRAINT "shipment_line_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_line" ADD CONSTRAINT "shipment_line_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Invariant 2 (DESIGN.md §4): on-hand and every running balance are never negative. The domain
-- refuses first with INSUFFICIENT_QUANTITY; these make a bug fail loudly instead of corrupting
-- stock. Triggers rather than CHECK constraints: Prisma's schema describer (WebAssembly engine,
-- PostgreSQL path) panics on CHECK constraints, which would break migration:new and the drift test.
CREATE FUNCTION "lot_quantity_not_negative"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."quantity" < 0 THEN
    RAISE EXCEPTION 'lot % would hold % : on-hand cannot be negative', NEW."code", NEW."quantity";
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "lot_quantity_not_negative" BEFORE INSERT OR UPDATE OF "quantity" ON "lot"
  FOR EACH ROW EXECUTE FUNCTION "lot_quantity_not_negative"();

CREATE FUNCTION "stock_movement_balance_not_negative"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."balance" < 0 THEN
    RAISE EXCEPTION 'stock movement % would leave a negative balance', NEW."id";
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "stock_movement_balance_not_negative" BEFORE INSERT ON "stock_movement"
  FOR EACH ROW EXECUTE FUNCTION "stock_movement_balance_not_negative"();
