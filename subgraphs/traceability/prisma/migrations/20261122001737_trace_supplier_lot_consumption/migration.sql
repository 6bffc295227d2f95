-- DropIndex
DROP INDEX "genealogy_edge_child_lot_id_idx";

-- AlterTable
ALTER TABLE "genealogy_lot" ADD COLUMN     "supplier_lot_code" TEXT;

-- CreateTable
CREATE TABLE "run_consumption" (
    "consumption_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "run_consumption_pkey" PRIMARY KEY ("consumption_id")
);

-- CreateIndex
CREATE INDEX "genealogy_edge_child_lot_id_parent_lot_id_idx" ON "genealogy_edge"("child_lot_id", "parent_lot_id");

-- CreateIndex
CREATE INDEX "genealogy_lot_supplier_lot_code_idx" ON "genealogy_lot"("supplier_lot_code");
