-- The floor dashboard reads the latest decisions of every gate, newest first (qcDecisions).
CREATE INDEX "qc_decision_decided_at_idx" ON "qc_decision"("decided_at");
