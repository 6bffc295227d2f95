-- Work orders, routing, bill of materials, runs with phases, consumptions, outputs and the
-- as-built record. Before this migration nothing wrote production_run or run_output (the shell
-- only read them), so their new NOT NULL columns need no backfill.

-- CreateEnum
CREATE TYPE "WorkOrderStatus" AS ENUM ('PLANNED', 'RELEASED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED');

-- AlterTable
ALTER TABLE "production_run" ADD COLUMN     "current_phase" INTEGER,
ADD COLUMN     "operator_id" TEXT NOT NULL,
ADD COLUMN     "operator_name" TEXT NOT NULL,
ADD COLUMN     "work_order_id" UUID NOT NULL;

-- AlterTable
ALTER TABLE "run_output" DROP CONSTRAINT "run_output_pkey",
ADD COLUMN     "id" UUID NOT NULL,
ADD COLUMN     "material_id" UUID NOT NULL,
ADD COLUMN     "operator_id" TEXT NOT NULL,
ADD COLUMN     "operator_name" TEXT NOT NULL,
ADD COLUMN     "quantity" DECIMAL(20,6) NOT NULL,
ADD COLUMN     "serial_ids" UUID[],
ADD CONSTRAINT "run_output_pkey" PRIMARY KEY ("id");

-- CreateTable
CREATE TABLE "line" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "product_id" UUID NOT NULL,
    "planned_quantity" DECIMAL(20,6) NOT NULL,
    "status" "WorkOrderStatus" NOT NULL,
    "line_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order_phase" (
    "work_order_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "gate_id" TEXT,

    CONSTRAINT "work_order_phase_pkey" PRIMARY KEY ("work_order_id","sequence")
);

-- CreateTable
CREATE TABLE "bom_component" (
    "work_order_id" UUID NOT NULL,
    "material_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "bom_component_pkey" PRIMARY KEY ("work_order_id","material_id")
);

-- CreateTable
CREATE TABLE "run_phase" (
    "run_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_phase_pkey" PRIMARY KEY ("run_id","sequence")
);

-- CreateTable
CREATE TABLE "consumption" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "material_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,
    "movement_id" UUID NOT NULL,
    "operator_id" TEXT NOT NULL,
    "operator_name" TEXT NOT NULL,
    "consumed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consumption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installation" (
    "id" UUID NOT NULL,
    "parent_serial_id" UUID NOT NULL,
    "component_serial_id" UUID,
    "component_lot_id" UUID,
    "quantity" DECIMAL(20,6) NOT NULL,
    "run_id" UUID,
    "installed_at" TIMESTAMPTZ(3) NOT NULL,
    "installed_by" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "removed_by" TEXT,
    "removal_reason" TEXT,

    CONSTRAINT "installation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "line_code_key" ON "line"("code");

-- CreateIndex
CREATE UNIQUE INDEX "work_order_number_key" ON "work_order"("number");

-- CreateIndex
CREATE INDEX "work_order_status_number_idx" ON "work_order"("status", "number");

-- CreateIndex
CREATE INDEX "work_order_line_id_number_idx" ON "work_order"("line_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "consumption_movement_id_key" ON "consumption"("movement_id");

-- CreateIndex
CREATE INDEX "consumption_run_id_idx" ON "consumption"("run_id");

-- CreateIndex
CREATE INDEX "consumption_lot_id_idx" ON "consumption"("lot_id");

-- CreateIndex
CREATE INDEX "installation_parent_serial_id_idx" ON "installation"("parent_serial_id");

-- CreateIndex
CREATE INDEX "installation_component_serial_id_idx" ON "installation"("component_serial_id");

-- CreateIndex
CREATE INDEX "production_run_work_order_id_idx" ON "production_run"("work_order_id");

-- CreateIndex
CREATE UNIQUE INDEX "run_output_lot_id_key" ON "run_output"("lot_id");

-- AddForeignKey
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_line_id_fkey" FOREIGN KEY ("line_id") REFERENCES "line"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_order_phase" ADD CONSTRAINT "work_order_phase_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bom_component" ADD CONSTRAINT "bom_component_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "production_run" ADD CONSTRAINT "production_run_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_phase" ADD CONSTRAINT "run_phase_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "production_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consumption" ADD CONSTRAINT "consumption_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "production_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
