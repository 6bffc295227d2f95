-- CreateTable
CREATE TABLE "lot_hold" (
    "lot_id" UUID NOT NULL,
    "hold_id" TEXT NOT NULL,
    "previous_status" "LotStatus" NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "lot_hold_pkey" PRIMARY KEY ("lot_id","hold_id")
);

-- CreateIndex
CREATE INDEX "lot_hold_hold_id_idx" ON "lot_hold"("hold_id");

-- AddForeignKey
ALTER TABLE "lot_hold" ADD CONSTRAINT "lot_hold_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "lot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
