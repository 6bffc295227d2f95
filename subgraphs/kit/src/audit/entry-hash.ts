import { createHash } from "node:crypto";

/**
 * What an audit entry's hash is computed from: every field of the entry but the hash itself, as
 * stored (before and after already round-tripped through JSON, `at` at millisecond precision).
 * The one definition both the server (appending, walking the chain) and the offline evidence
 * verifier use; it depends on nothing but node:crypto, so the verifier needs no database code.
 */
export interface HashedAuditContent {
  seq: number;
  id: string;
  /** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  at: string;
  actor: { id: string; name: string };
  action: string;
  entityType: string;
  entityId: string;
  /** Absent reads as null, as stored. */
  reason?: string | null;
  before?: unknown;
  after?: unknown;
  prevHash: string;
}

/** The `prevHash` of a chain's first entry. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * SHA-256 (lower-case hex) over the canonical JSON array of the entry's fields, in a fixed order.
 * Changing any field, the order, or the canonical form changes every hash ever written: never.
 */
export function auditEntryHash(entry: HashedAuditContent): string {
  const canonical = canonicalJson([
    entry.seq,
    entry.id,
    entry.at,
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
