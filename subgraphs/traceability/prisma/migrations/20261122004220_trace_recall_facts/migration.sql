-- AlterTable
ALTER TABLE "genealogy_lot" ADD COLUMN     "location_id" UUID,
ADD COLUMN     "origin_event_id" UUID,
ADD COLUMN     "quantity" DECIMAL(20,6),
ADD COLUMN     "run_id" UUID,
ADD COLUMN     "supplier_id" UUID,
ADD COLUMN     "uom" TEXT;

-- AlterTable
ALTER TABLE "run_consumption" ADD COLUMN     "consumed_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "run_output_lot" ADD COLUMN     "quantity" DECIMAL(20,6),
ADD COLUMN     "recorded_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "run_output_record" (
    "output_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "run_output_record_pkey" PRIMARY KEY ("output_id")
);

-- CreateTable
CREATE TABLE "shipment_fact" (
    "shipment_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "reference" TEXT,
    "shipped_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipment_fact_pkey" PRIMARY KEY ("shipment_id")
);

-- CreateTable
CREATE TABLE "shipment_lot" (
    "shipment_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "shipment_lot_pkey" PRIMARY KEY ("shipment_id","lot_id")
);

-- CreateTable
CREATE TABLE "serial_fact" (
    "serial_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "serial_number" TEXT NOT NULL,

    CONSTRAINT "serial_fact_pkey" PRIMARY KEY ("serial_id")
);

-- CreateTable
CREATE TABLE "installation" (
    "installation_id" UUID NOT NULL,
    "parent_serial_id" UUID NOT NULL,
    "component_serial_id" UUID,
    "component_lot_id" UUID,
    "quantity" DECIMAL(20,6) NOT NULL,
    "run_id" UUID,
    "installed_at" TIMESTAMPTZ(3) NOT NULL,
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "installation_pkey" PRIMARY KEY ("installation_id")
);

-- CreateTable
CREATE TABLE "parked_event" (
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "parked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "parked_event_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "shipment_lot_lot_id_idx" ON "shipment_lot"("lot_id");

-- CreateIndex
CREATE INDEX "serial_fact_lot_id_idx" ON "serial_fact"("lot_id");

-- CreateIndex
CREATE INDEX "installation_parent_serial_id_idx" ON "installation"("parent_serial_id");

-- CreateIndex
CREATE INDEX "run_consumption_run_id_idx" ON "run_consumption"("run_id");
