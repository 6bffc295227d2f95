-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('IN_PROGRESS', 'COMPLETED', 'CANCELLED');

-- CreateTable
CREATE TABLE "production_run" (
    "id" UUID NOT NULL,
    "status" "RunStatus" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "production_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_output" (
    "lot_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_output_pkey" PRIMARY KEY ("lot_id")
);

-- CreateIndex
CREATE INDEX "run_output_run_id_idx" ON "run_output"("run_id");

-- AddForeignKey
ALTER TABLE "run_output" ADD CONSTRAINT "run_output_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "production_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
