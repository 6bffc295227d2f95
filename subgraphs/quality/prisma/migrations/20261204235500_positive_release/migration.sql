-- AlterTable
ALTER TABLE "hold" ADD COLUMN     "placement_id" UUID,
ADD COLUMN     "supplier_hold_id" UUID;
-- Every existing hold belongs to the placement of its root (itself, for a root).
UPDATE "hold" SET "placement_id" = COALESCE("cause_id", "id");
ALTER TABLE "hold" ALTER COLUMN "placement_id" SET NOT NULL;

-- AlterTable
ALTER TABLE "non_conformance" ADD COLUMN     "close_meaning" TEXT,
ADD COLUMN     "close_signed_at" TIMESTAMPTZ(3),
ADD COLUMN     "close_signer_name" TEXT,
ADD COLUMN     "disposition_meaning" TEXT,
ADD COLUMN     "disposition_signed_at" TIMESTAMPTZ(3),
ADD COLUMN     "disposition_signer_name" TEXT;

-- AlterTable
ALTER TABLE "qc_decision" ADD COLUMN     "line_id" UUID;

-- AlterTable
ALTER TABLE "qc_gate" ADD COLUMN     "segregation_of_duties" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "supplier_hold" (
    "id" UUID NOT NULL,
    "supplier_id" UUID NOT NULL,
    "supplier_lot_code" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "placed_by_id" TEXT NOT NULL,
    "placed_by_name" TEXT NOT NULL,
    "released_at" TIMESTAMPTZ(3),
    "released_by_id" TEXT,
    "released_by_name" TEXT,
    "release_reason" TEXT,
    "signer_name" TEXT,
    "signed_at" TIMESTAMPTZ(3),
    "signature_meaning" TEXT,

    CONSTRAINT "supplier_hold_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "supplier_hold_supplier_id_supplier_lot_code_idx" ON "supplier_hold"("supplier_id", "supplier_lot_code");

-- CreateIndex
CREATE INDEX "supplier_hold_released_at_placed_at_idx" ON "supplier_hold"("released_at", "placed_at");

-- CreateIndex
CREATE UNIQUE INDEX "hold_placement_id_lot_id_key" ON "hold"("placement_id", "lot_id");

-- CreateIndex
CREATE INDEX "qc_decision_gate_id_line_id_result_decided_at_idx" ON "qc_decision"("gate_id", "line_id", "result", "decided_at");

-- CreateIndex
CREATE INDEX "qc_decision_hold_id_idx" ON "qc_decision"("hold_id");
