import { createHash, randomUUID } from "node:crypto";
import type { SqlDriver, SqlExecutor } from "../db/sql.ts";

/** Who did it; every mutation has one (a user or a service account). */
export interface AuditActor {
  id: string;
  name: string;
}

export interface AuditEntryInput {
  actor: AuditActor;
  /** Verb in the past tense, e.g. `lot.received`. */
  action: string;
  entityType: string;
  entityId: string;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  id: string;
  at: Date;
  prevHash: string;
  hash: string;
}

const GENESIS = "0".repeat(64);
/** Serialises appends so each entry chains onto exactly one predecessor. */
const AUDIT_CHAIN_LOCK = 0xa0d17;

/**
 * Appends an audit entry inside the caller's business transaction (DESIGN.md §4.6). The entry
 * hashes its content together with the previous entry's hash, so editing or removing any earlier
 * entry breaks the chain; the table itself also refuses UPDATE/DELETE/TRUNCATE.
 */
export async function appendAudit(tx: SqlExecutor, input: AuditEntryInput): Promise<AuditEntry> {
  // The chain's lock, then its last entry read under it, in one statement (kit migration 0005).
  const [last] = await tx.$queryRawUnsafe<Array<{ seq: string; hash: string }>>(
    `SELECT seq, hash FROM audit_chain_tip(${AUDIT_CHAIN_LOCK})`,
  );
  const entry: AuditEntry = {
    ...input,
    reason: input.reason ?? null,
    // Stored as jsonb: hash exactly what the verifier will read back (dates become strings).
    before: asStoredJson(input.before),
    after: asStoredJson(input.after),
    seq: last ? Number(last.seq) + 1 : 1,
    id: randomUUID(),
    // Millisecond precision, as stored (timestamptz(3)), so the verifier recomputes the same hash.
    at: new Date(),
    prevHash: last?.hash ?? GENESIS,
    hash: "",
  };
  entry.hash = hashEntry(entry);
  await tx.$executeRawUnsafe(
    `INSERT INTO audit_log (seq, id, at, actor_id, actor_name, action, entity_type, entity_id, reason, before, after, prev_hash, hash)
     VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13)`,
    entry.seq,
    entry.id,
    entry.at,
    entry.actor.id,
    entry.actor.name,
    entry.action,
    entry.entityType,
    entry.entityId,
    entry.reason,
    JSON.stringify(entry.before),
    JSON.stringify(entry.after),
    entry.prevHash,
    entry.hash,
  );
  return entry;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** First entry whose hash or link does not match, when `ok` is false. */
  brokenAt?: { seq: number; reason: string };
}

/** Walks the whole chain in order and recomputes every hash. */
export async function verifyAuditChain(driver: SqlDriver, pageSize = 1000): Promise<AuditVerification> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  for (;;) {
    const rows = await driver.query<AuditRow>(
      `SELECT seq::text, id::text, at, actor_id, actor_name, action, entity_type, entity_id, reason, before, after, prev_hash, hash
         FROM audit_log WHERE seq >= $1 ORDER BY audit_log.seq LIMIT $2`,
      [expectedSeq, pageSize],
    );
    for (const row of rows) {
      const entry = auditEntryFromRow(row);
      if (entry.seq !== expectedSeq) return broken(entries, entry.seq, `entry ${expectedSeq} is missing`);
      if (entry.prevHash !== prevHash) return broken(entries, entry.seq, "link to the previous entry does not match");
      if (hashEntry(entry) !== entry.hash) return broken(entries, entry.seq, "content does not match its hash");
      prevHash = entry.hash;
      expectedSeq++;
      entries++;
    }
    if (rows.length < pageSize) return { ok: true, entries };
  }
}

/** Audit entries of one entity, oldest first. */
export async function auditTrail(driver: SqlDriver, entityType: string, entityId: string): Promise<AuditEntry[]> {
  const rows = await driver.query<AuditRow>(
    `SELECT seq::text, id::text, at, actor_id, actor_name, action, entity_type, entity_id, reason, before, after, prev_hash, hash
       FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY audit_log.seq`,
    [entityType, entityId],
  );
  return rows.map(auditEntryFromRow);
}

function asStoredJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function broken(entries: number, seq: number, reason: string): AuditVerification {
  return { ok: false, entries, brokenAt: { seq, reason } };
}

/** A row of `audit_log` as read with `seq::text, id::text`. */
export interface AuditRow {
  seq: string;
  id: string;
  at: Date;
  actor_id: string;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

export function auditEntryFromRow(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: new Date(row.at),
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    reason: row.reason,
    before: row.before,
    after: row.after,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function hashEntry(entry: AuditEntry): string {
  const canonical = canonicalJson([
    entry.seq,
    entry.id,
    entry.at.toISOString(),
    entry.actor.id,
    entry.actor.name,
    entry.action,
    entry.entityType,
    entry.entityId,
    entry.reason ?? null,
    entry.before ?? null,
    entry.after ?? null,
    entry.prevHash,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** JSON with object keys sorted, so jsonb's key reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Appends many audit entries at once, in order, inside the caller's transaction: the same chain
 * and hashes as one {@link appendAudit} per entry, but one lock and read of the tip and one
 * INSERT for all of them. For bulk work (an import writes thousands of entities, each with its
 * own entry), where a round trip per entry would be most of the cost.
 */
export async function appendAuditBatch(tx: SqlExecutor, inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  const [last] = await tx.$queryRawUnsafe<Array<{ seq: string; hash: string }>>(
    `SELECT seq, hash FROM audit_chain_tip(${AUDIT_CHAIN_LOCK})`,
  );
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS;
  const at = new Date();
  const entries = inputs.map((input): AuditEntry => {
    const entry: AuditEntry = {
      ...input,
      reason: input.reason ?? null,
      before: asStoredJson(input.before),
      after: asStoredJson(input.after),
      seq: ++seq,
      id: randomUUID(),
      at,
      prevHash,
      hash: "",
    };
    entry.hash = hashEntry(entry);
    prevHash = entry.hash;
    return entry;
  });
  // One JSON parameter, whatever the count (a statement has at most 65,535 parameters); before
  // and after go as JSON text cast to jsonb, exactly as appendAudit stores them.
  const rows = entries.map((e) => ({
    seq: e.seq,
    id: e.id,
    at: e.at.toISOString(),
    actorId: e.actor.id,
    actorName: e.actor.name,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    reason: e.reason,
    before: JSON.stringify(e.before),
    after: JSON.stringify(e.after),
    prevHash: e.prevHash,
    hash: e.hash,
  }));
  await tx.$executeRawUnsafe(
    `INSERT INTO audit_log (seq, id, at, actor_id, actor_name, action, entity_type, entity_id, reason, before, after, prev_hash, hash)
     SELECT (v->>'seq')::bigint, (v->>'id')::uuid, (v->>'at')::timestamptz, v->>'actorId', v->>'actorName', v->>'action',
            v->>'entityType', v->>'entityId', v->>'reason', (v->>'before')::jsonb, (v->>'after')::jsonb, v->>'prevHash', v->>'hash'
       FROM jsonb_array_elements($1::jsonb) AS e(v)`,
    JSON.stringify(rows),
  );
  return entries;
}
