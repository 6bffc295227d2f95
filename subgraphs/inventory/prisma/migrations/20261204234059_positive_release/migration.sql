-- AlterTable
ALTER TABLE "lot" ADD COLUMN     "release_pending" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "material" ADD COLUMN     "inspection_required" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "shipment_line" ADD COLUMN     "serial_ids" UUID[] DEFAULT ARRAY[]::UUID[];

-- CreateTable
CREATE TABLE "run_gate" (
    "run_id" UUID NOT NULL,
    "gate_id" TEXT NOT NULL,
    "blocking" BOOLEAN NOT NULL DEFAULT false,
    "passed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "run_gate_pkey" PRIMARY KEY ("run_id","gate_id")
);

-- CreateTable
CREATE TABLE "run_hold" (
    "run_id" UUID NOT NULL,
    "hold_id" TEXT NOT NULL,
    "gate_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_hold_pkey" PRIMARY KEY ("run_id","hold_id")
);

-- CreateTable
CREATE TABLE "supplier_hold" (
    "hold_id" TEXT NOT NULL,
    "supplier_id" UUID NOT NULL,
    "supplier_lot_code" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "supplier_hold_pkey" PRIMARY KEY ("hold_id")
);

-- CreateIndex
CREATE INDEX "run_hold_hold_id_idx" ON "run_hold"("hold_id");

-- CreateIndex
CREATE INDEX "supplier_hold_supplier_id_supplier_lot_code_idx" ON "supplier_hold"("supplier_id", "supplier_lot_code");

-- CreateIndex
CREATE INDEX "lot_supplier_id_supplier_lot_code_idx" ON "lot"("supplier_id", "supplier_lot_code");
