-- AlterTable
ALTER TABLE "location" ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "lot" ADD COLUMN     "external_ref" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "material" ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "external_ref" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "party" ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "external_ref" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "shipment" ADD COLUMN     "external_ref" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE UNIQUE INDEX "lot_external_ref_key" ON "lot"("external_ref");

-- CreateIndex
CREATE INDEX "lot_updated_at_idx" ON "lot"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "material_external_ref_key" ON "material"("external_ref");

-- CreateIndex
CREATE UNIQUE INDEX "party_external_ref_key" ON "party"("external_ref");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_external_ref_key" ON "shipment"("external_ref");

-- CreateIndex
CREATE INDEX "stock_movement_created_at_idx" ON "stock_movement"("created_at");

-- Backfill: rows written before this migration were last changed, as far as anyone knows, when
-- they were created (shipments never change).
UPDATE "material" SET "updated_at" = "created_at";
UPDATE "location" SET "updated_at" = "created_at";
UPDATE "party" SET "updated_at" = "created_at";
UPDATE "lot" SET "updated_at" = "created_at";
UPDATE "shipment" SET "updated_at" = "shipped_at";

-- `updatedSince` on every list relies on updated_at being current after every change, whichever
-- code path writes the row (a lot changes through the ledger, holds and release decisions): a
-- trigger keeps it so rather than each writer. A new row's updated_at is its creation time.
CREATE FUNCTION "touch_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."updated_at" := clock_timestamp();
  RETURN NEW;
END;
$$;
CREATE FUNCTION "updated_at_is_created_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."updated_at" := NEW."created_at";
  RETURN NEW;
END;
$$;
CREATE FUNCTION "updated_at_is_shipped_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."updated_at" := NEW."shipped_at";
  RETURN NEW;
END;
$$;
CREATE TRIGGER "material_touch" BEFORE UPDATE ON "material" FOR EACH ROW EXECUTE FUNCTION "touch_updated_at"();
CREATE TRIGGER "location_touch" BEFORE UPDATE ON "location" FOR EACH ROW EXECUTE FUNCTION "touch_updated_at"();
CREATE TRIGGER "party_touch" BEFORE UPDATE ON "party" FOR EACH ROW EXECUTE FUNCTION "touch_updated_at"();
CREATE TRIGGER "lot_touch" BEFORE UPDATE ON "lot" FOR EACH ROW EXECUTE FUNCTION "touch_updated_at"();
CREATE TRIGGER "shipment_touch" BEFORE UPDATE ON "shipment" FOR EACH ROW EXECUTE FUNCTION "touch_updated_at"();
CREATE TRIGGER "material_created" BEFORE INSERT ON "material" FOR EACH ROW EXECUTE FUNCTION "updated_at_is_created_at"();
CREATE TRIGGER "location_created" BEFORE INSERT ON "location" FOR EACH ROW EXECUTE FUNCTION "updated_at_is_created_at"();
CREATE TRIGGER "party_created" BEFORE INSERT ON "party" FOR EACH ROW EXECUTE FUNCTION "updated_at_is_created_at"();
CREATE TRIGGER "lot_created" BEFORE INSERT ON "lot" FOR EACH ROW EXECUTE FUNCTION "updated_at_is_created_at"();
CREATE TRIGGER "shipment_created" BEFORE INSERT ON "shipment" FOR EACH ROW EXECUTE FUNCTION "updated_at_is_shipped_at"();
