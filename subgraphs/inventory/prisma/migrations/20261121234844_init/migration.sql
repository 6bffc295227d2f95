-- CreateEnum
CREATE TYPE "MaterialKind" AS ENUM ('RAW', 'INTERMEDIATE', 'FINISHED', 'PACKAGING');

-- CreateEnum
CREATE TYPE "Tracking" AS ENUM ('LOT', 'SERIAL');

-- CreateEnum
CREATE TYPE "LocationKind" AS ENUM ('SITE', 'AREA', 'LINE', 'BIN');

-- CreateEnum
CREATE TYPE "PartyKind" AS ENUM ('SUPPLIER', 'CUSTOMER');

-- CreateEnum
CREATE TYPE "LotStatus" AS ENUM ('AVAILABLE', 'QUARANTINE', 'ON_HOLD', 'CONSUMED', 'SHIPPED', 'SCRAPPED');

-- CreateEnum
CREATE TYPE "MovementKind" AS ENUM ('RECEIPT', 'TRANSFER', 'CONSUMPTION', 'PRODUCTION', 'ADJUSTMENT', 'SHIPMENT', 'SCRAP');

-- CreateTable
CREATE TABLE "material" (
    "id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uom" TEXT NOT NULL,
    "kind" "MaterialKind" NOT NULL,
    "tracking" "Tracking" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "material_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "location" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "LocationKind" NOT NULL,
    "parent_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "party" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PartyKind" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "party_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lot" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "material_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,
    "uom" TEXT NOT NULL,
    "status" "LotStatus" NOT NULL,
    "location_id" UUID,
    "supplier_id" UUID,
    "supplier_lot_code" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_movement" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "lot_id" UUID NOT NULL,
    "kind" "MovementKind" NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,
    "actor_id" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_movement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "material_sku_key" ON "material"("sku");

-- CreateIndex
CREATE UNIQUE INDEX "location_code_key" ON "location"("code");

-- CreateIndex
CREATE INDEX "location_parent_id_idx" ON "location"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "party_code_key" ON "party"("code");

-- CreateIndex
CREATE UNIQUE INDEX "lot_code_key" ON "lot"("code");

-- CreateIndex
CREATE INDEX "lot_created_at_id_idx" ON "lot"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "lot_material_id_idx" ON "lot"("material_id");

-- CreateIndex
CREATE INDEX "lot_supplier_lot_code_idx" ON "lot"("supplier_lot_code");

-- CreateIndex
CREATE UNIQUE INDEX "stock_movement_seq_key" ON "stock_movement"("seq");

-- CreateIndex
CREATE INDEX "stock_movement_lot_id_seq_idx" ON "stock_movement"("lot_id", "seq");

-- AddForeignKey
ALTER TABLE "location" ADD CONSTRAINT "location_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "location"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lot" ADD CONSTRAINT "lot_material_id_fkey" FOREIGN KEY ("material_id") REFERENCES "material"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lot" ADD CONSTRAINT "lot_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lot" ADD CONSTRAINT "lot_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "party"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movement" ADD CONSTRAINT "stock_movement_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The stock ledger is append-only (DESIGN.md §4.2): corrections are new movements, never edits.
CREATE FUNCTION "stock_movement_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_movement is append-only: record a new movement instead';
END;
$$;
CREATE TRIGGER "stock_movement_no_update" BEFORE UPDATE OR DELETE ON "stock_movement"
  FOR EACH ROW EXECUTE FUNCTION "stock_movement_append_only"();
CREATE TRIGGER "stock_movement_no_truncate" BEFORE TRUNCATE ON "stock_movement"
  FOR EACH STATEMENT EXECUTE FUNCTION "stock_movement_append_only"();
