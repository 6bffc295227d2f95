-- AlterTable
ALTER TABLE "hold" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "non_conformance" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "qc_gate" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "supplier_hold" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "hold_updated_at_idx" ON "hold"("updated_at");

-- CreateIndex
CREATE INDEX "non_conformance_updated_at_idx" ON "non_conformance"("updated_at");

-- CreateIndex
CREATE INDEX "qc_gate_updated_at_idx" ON "qc_gate"("updated_at");

-- CreateIndex
CREATE INDEX "supplier_hold_updated_at_idx" ON "supplier_hold"("updated_at");

-- Backfill: the best known time of each row's last change, so `updatedSince` does not report
-- every existing row as changed by this migration.
UPDATE "qc_gate" SET "updated_at" = "created_at";
UPDATE "hold" SET "updated_at" = GREATEST("placed_at", COALESCE("released_at", "placed_at"));
UPDATE "supplier_hold" SET "updated_at" = GREATEST("placed_at", COALESCE("released_at", "placed_at"));
UPDATE "non_conformance" SET "updated_at" = GREATEST(
  "opened_at",
  COALESCE("dispositioned_at", "opened_at"),
  COALESCE("closed_at", "opened_at")
);
