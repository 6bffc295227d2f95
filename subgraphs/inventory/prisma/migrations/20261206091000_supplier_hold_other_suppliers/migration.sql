-- A supplier hold placed by a recall also holds the code's lots from other suppliers or from no
-- named supplier (decision 0029): the recall is of the code, whoever is named on a receipt.
-- AlterTable
ALTER TABLE "supplier_hold" ADD COLUMN     "other_suppliers" BOOLEAN NOT NULL DEFAULT false;
