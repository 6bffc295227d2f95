-- AlterTable
ALTER TABLE "line" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "production_run" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "work_order" ADD COLUMN     "external_ref" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "line_updated_at_idx" ON "line"("updated_at");

-- CreateIndex
CREATE INDEX "production_run_started_at_id_idx" ON "production_run"("started_at", "id");

-- CreateIndex
CREATE INDEX "production_run_ended_at_id_idx" ON "production_run"("ended_at", "id");

-- CreateIndex
CREATE INDEX "production_run_updated_at_idx" ON "production_run"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "work_order_external_ref_key" ON "work_order"("external_ref");

-- CreateIndex
CREATE INDEX "work_order_updated_at_idx" ON "work_order"("updated_at");

-- Backfill: the best known time of each row's last change, so `updatedSince` does not report
-- every existing row as changed by this migration.
UPDATE "line" SET "updated_at" = "created_at";
UPDATE "work_order" wo SET "updated_at" = GREATEST(
  wo."created_at",
  COALESCE((SELECT MAX(COALESCE(r."ended_at", r."started_at")) FROM "production_run" r WHERE r."work_order_id" = wo."id"), wo."created_at")
);
UPDATE "production_run" r SET "updated_at" = GREATEST(
  COALESCE(r."ended_at", r."started_at"),
  COALESCE((SELECT MAX(c."consumed_at") FROM "consumption" c WHERE c."run_id" = r."id"), r."started_at"),
  COALESCE((SELECT MAX(o."created_at") FROM "run_output" o WHERE o."run_id" = r."id"), r."started_at")
);
