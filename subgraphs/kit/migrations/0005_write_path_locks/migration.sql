-- A lock and the read that must follow it, in one statement instead of two (one round trip less
-- for every audited or keyed write). Each function is VOLATILE: it takes a new snapshot for each
-- of its statements, so its read sees whatever the lock's previous holder committed, exactly as a
-- separate statement after the lock did. The search_path is the one the migration ran in (the
-- subgraph's schema), so the embedded engine's schemas each reach their own tables.

-- appendAudit: the audit chain's lock, then the chain's last entry.
CREATE FUNCTION "audit_chain_tip"("lock_key" bigint) RETURNS TABLE ("seq" text, "hash" text)
LANGUAGE sql VOLATILE SET search_path FROM CURRENT AS $$
  SELECT pg_advisory_xact_lock(lock_key);
  SELECT tip.seq::text, tip.hash FROM audit_log tip ORDER BY tip.seq DESC LIMIT 1;
$$;

-- withIdempotency: the key's lock, then what an earlier call with the key stored.
CREATE FUNCTION "idempotency_key_locked"("key_scope" text, "scoped_key" text)
RETURNS TABLE ("request_hash" text, "response" jsonb)
LANGUAGE sql VOLATILE SET search_path FROM CURRENT AS $$
  SELECT pg_advisory_xact_lock(hashtext(key_scope || ':' || scoped_key));
  SELECT stored.request_hash, stored.response FROM idempotency_key stored
   WHERE stored.scope = key_scope AND stored.key = scoped_key;
$$;
