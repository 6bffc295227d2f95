import type { SqlDriver } from "../db/sql.ts";
import { type AuditEntry, auditEntryFromRow, verifyAuditChain, type AuditRow } from "./audit.ts";

/** What an auditor filters a log by; every field optional. */
export interface AuditFilter {
  entityType?: string | null;
  entityId?: string | null;
  actorId?: string | null;
  /** Entries at or after. */
  from?: Date | null;
  /** Entries strictly before. */
  to?: Date | null;
}

/** An audit entry flattened for reading: the actor's id and name side by side. */
export interface AuditEntryRead {
  seq: number;
  at: Date;
  actorId: string;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  hash: string;
  prevHash: string;
}

export function auditEntryRead(entry: AuditEntry): AuditEntryRead {
  return {
    seq: entry.seq,
    at: entry.at,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    reason: entry.reason ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    hash: entry.hash,
    prevHash: entry.prevHash,
  };
}

/** The most entries one page may ask for. */
export const MAX_AUDIT_PAGE = 1000;

/**
 * One page of a service's audit log, newest first: entries with `seq` below `beforeSeq` (all
 * without it) that match the filter, at most `first`, and how many match in all. The seq order is
 * the chain's order, which is also time order within one log.
 */
export async function readAuditLog(
  driver: SqlDriver,
  filter: AuditFilter,
  beforeSeq: number | null,
  first: number,
): Promise<{ entries: AuditEntryRead[]; totalCount: number }> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const where = (column: string, value: unknown, op = "=") => {
    params.push(value);
    conditions.push(`${column} ${op} $${params.length}`);
  };
  if (filter.entityType) where("entity_type", filter.entityType);
  if (filter.entityId) where("entity_id", filter.entityId);
  if (filter.actorId) where("actor_id", filter.actorId);
  if (filter.from) where("at", filter.from, ">=");
  if (filter.to) where("at", filter.to, "<");
  const matching = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const [count] = await driver.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log ${matching}`, params);
  const page = [...conditions];
  const pageParams = [...params];
  if (beforeSeq !== null) {
    pageParams.push(beforeSeq);
    page.push(`seq < $${pageParams.length}`);
  }
  pageParams.push(Math.min(Math.max(first, 0), MAX_AUDIT_PAGE));
  const rows = await driver.query<AuditRow>(
    `SELECT seq::text, id::text, at, actor_id, actor_name, action, entity_type, entity_id, reason, before, after, prev_hash, hash
       FROM audit_log ${page.length ? `WHERE ${page.join(" AND ")}` : ""}
      ORDER BY seq DESC LIMIT $${pageParams.length}`,
    pageParams,
  );
  return { entries: rows.map((row) => auditEntryRead(auditEntryFromRow(row))), totalCount: Number(count?.n ?? 0) };
}

/** A walk of the whole chain: its length, its head, and where it first breaks, if it does. */
export interface AuditChainReport {
  length: number;
  headHash: string | null;
  verified: boolean;
  firstBrokenSeq: number | null;
  checkedAt: Date;
}

export async function checkAuditChain(driver: SqlDriver): Promise<AuditChainReport> {
  const checkedAt = new Date();
  const [head] = await driver.query<{ seq: string; hash: string }>(
    "SELECT seq::text, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
  );
  const result = await verifyAuditChain(driver);
  return {
    length: head ? Number(head.seq) : 0,
    headHash: head?.hash ?? null,
    verified: result.ok,
    firstBrokenSeq: result.brokenAt?.seq ?? null,
    checkedAt,
  };
}
