-- CreateEnum
CREATE TYPE "QualityStatus" AS ENUM ('PENDING', 'PASSED', 'ON_HOLD', 'REJECTED');

-- CreateTable
CREATE TABLE "lot_quality" (
    "lot_id" UUID NOT NULL,
    "status" "QualityStatus" NOT NULL DEFAULT 'PENDING',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lot_quality_pkey" PRIMARY KEY ("lot_id")
);
