-- CreateTable
CREATE TABLE "genealogy_lot" (
    "lot_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "material_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "genealogy_lot_pkey" PRIMARY KEY ("lot_id")
);

-- CreateTable
CREATE TABLE "genealogy_edge" (
    "parent_lot_id" UUID NOT NULL,
    "child_lot_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6),
    "run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "genealogy_edge_pkey" PRIMARY KEY ("parent_lot_id","child_lot_id")
);

-- CreateIndex
CREATE INDEX "genealogy_edge_child_lot_id_idx" ON "genealogy_edge"("child_lot_id");
