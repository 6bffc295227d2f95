-- CreateIndex
CREATE INDEX "genealogy_lot_material_id_created_at_idx" ON "genealogy_lot"("material_id", "created_at");

-- CreateIndex
CREATE INDEX "run_consumption_consumed_at_idx" ON "run_consumption"("consumed_at");

-- CreateIndex
CREATE INDEX "run_input_lot_id_idx" ON "run_input"("lot_id");

-- CreateIndex
CREATE INDEX "run_output_lot_lot_id_idx" ON "run_output_lot"("lot_id");

-- CreateIndex
CREATE INDEX "run_output_lot_recorded_at_idx" ON "run_output_lot"("recorded_at");

-- CreateIndex
CREATE INDEX "shipment_fact_shipped_at_idx" ON "shipment_fact"("shipped_at");
