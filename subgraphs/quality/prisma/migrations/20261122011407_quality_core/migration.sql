-- CreateEnum
CREATE TYPE "QcResult" AS ENUM ('PASS', 'HOLD', 'FAIL');

-- CreateEnum
CREATE TYPE "NonConformanceStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "Disposition" AS ENUM ('USE_AS_IS', 'REWORK', 'SCRAP', 'RETURN_TO_SUPPLIER');

-- CreateTable
CREATE TABLE "qc_gate" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "blocking" BOOLEAN NOT NULL,
    "critical_control_point" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" TEXT NOT NULL,
    "created_by_name" TEXT NOT NULL,

    CONSTRAINT "qc_gate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "qc_characteristic" (
    "gate_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "lower" DOUBLE PRECISION NOT NULL,
    "upper" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,

    CONSTRAINT "qc_characteristic_pkey" PRIMARY KEY ("gate_id","position")
);

-- CreateTable
CREATE TABLE "qc_decision" (
    "id" UUID NOT NULL,
    "gate_id" UUID NOT NULL,
    "run_id" UUID,
    "lot_id" UUID,
    "result" "QcResult" NOT NULL,
    "notes" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by_id" TEXT NOT NULL,
    "decided_by_name" TEXT NOT NULL,
    "hold_id" UUID,

    CONSTRAINT "qc_decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "qc_measurement" (
    "decision_id" UUID NOT NULL,
    "characteristic" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "lower" DOUBLE PRECISION NOT NULL,
    "upper" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "qc_measurement_pkey" PRIMARY KEY ("decision_id","characteristic")
);

-- CreateTable
CREATE TABLE "hold" (
    "id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "cause_id" UUID,
    "decision_id" UUID,
    "propagate" BOOLEAN NOT NULL DEFAULT false,
    "placed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "placed_by_id" TEXT NOT NULL,
    "placed_by_name" TEXT NOT NULL,
    "released_at" TIMESTAMPTZ(3),
    "released_by_id" TEXT,
    "released_by_name" TEXT,
    "release_reason" TEXT,
    "signer_name" TEXT,
    "signed_at" TIMESTAMPTZ(3),
    "signature_meaning" TEXT,

    CONSTRAINT "hold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "non_conformance" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "hold_id" UUID,
    "decision_id" UUID,
    "lot_id" UUID,
    "description" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "status" "NonConformanceStatus" NOT NULL DEFAULT 'OPEN',
    "disposition" "Disposition",
    "corrective_action" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "opened_by_id" TEXT NOT NULL,
    "opened_by_name" TEXT NOT NULL,
    "dispositioned_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "closed_by_name" TEXT,

    CONSTRAINT "non_conformance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "qc_characteristic_gate_id_name_key" ON "qc_characteristic"("gate_id", "name");

-- CreateIndex
CREATE INDEX "qc_decision_run_id_gate_id_decided_at_idx" ON "qc_decision"("run_id", "gate_id", "decided_at");

-- CreateIndex
CREATE INDEX "qc_decision_lot_id_decided_at_idx" ON "qc_decision"("lot_id", "decided_at");

-- CreateIndex
CREATE INDEX "qc_decision_gate_id_decided_at_idx" ON "qc_decision"("gate_id", "decided_at");

-- CreateIndex
CREATE INDEX "hold_lot_id_placed_at_idx" ON "hold"("lot_id", "placed_at");

-- CreateIndex
CREATE INDEX "hold_cause_id_idx" ON "hold"("cause_id");

-- CreateIndex
CREATE INDEX "hold_released_at_placed_at_idx" ON "hold"("released_at", "placed_at");

-- CreateIndex
CREATE UNIQUE INDEX "non_conformance_number_key" ON "non_conformance"("number");

-- CreateIndex
CREATE INDEX "non_conformance_status_number_idx" ON "non_conformance"("status", "number");

-- AddForeignKey
ALTER TABLE "qc_characteristic" ADD CONSTRAINT "qc_characteristic_gate_id_fkey" FOREIGN KEY ("gate_id") REFERENCES "qc_gate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "qc_decision" ADD CONSTRAINT "qc_decision_gate_id_fkey" FOREIGN KEY ("gate_id") REFERENCES "qc_gate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "qc_measurement" ADD CONSTRAINT "qc_measurement_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "qc_decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
