-- AlterTable
ALTER TABLE "genealogy_lot" ALTER COLUMN "code" DROP NOT NULL;

-- CreateTable
CREATE TABLE "run_input" (
    "run_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "run_input_pkey" PRIMARY KEY ("run_id","lot_id")
);

-- CreateTable
CREATE TABLE "run_output_lot" (
    "run_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,

    CONSTRAINT "run_output_lot_pkey" PRIMARY KEY ("run_id","lot_id")
);
