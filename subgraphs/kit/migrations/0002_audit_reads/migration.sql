-- The audit trail is read by auditors (auditTrail, /exports/audit.csv) filtered by who acted and
-- by time, newest first: indexes for those filters, so a page does not scan the whole log.
CREATE INDEX "audit_log_actor_idx" ON "audit_log"("actor_id", "seq");
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");
