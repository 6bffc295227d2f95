import type { SqlDriver } from "../db/sql.ts";
import { badInput } from "../errors.ts";

/**
 * Where a reader of one service's change history stands: after the row written by transaction
 * `txId` with outbox `seq`. The outbox is read in (txId, seq) order, the order transactions
 * committed in as far as a reader can tell (migration 0006 says why seq alone is not).
 */
export interface ChangePosition {
  txId: string;
  seq: string;
}

/** One change as a service's outbox holds it. */
export interface StoredChange {
  position: ChangePosition;
  id: string;
  subject: string;
  entityType: string;
  entityId: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export interface ChangePage {
  changes: StoredChange[];
  /** More changes of the filter follow the last one returned. */
  hasMore: boolean;
}

/** The most changes one page may ask for. */
export const MAX_CHANGE_PAGE = 1000;

const POSITION = /^(\d{1,20}):(\d{1,20})$/;
/** A subject or a NATS-style pattern: `*` stands for one token, a final `>` for one or more. */
const SUBJECT_PATTERN = /^(?:[A-Za-z0-9_-]+|\*)(?:\.(?:[A-Za-z0-9_-]+|\*))*(?:\.>)?$|^>$/;

export function formatPosition(position: ChangePosition): string {
  return `${position.txId}:${position.seq}`;
}

export function parsePosition(text: string): ChangePosition {
  const match = POSITION.exec(text);
  if (!match) throw badInput("after", "after is not a change position");
  return { txId: match[1]!, seq: match[2]! };
}

/**
 * The subject patterns as PostgreSQL regular expressions (`subject ~ ANY(...)`), refusing what is
 * not a subject pattern: at most 50, each at most 200 characters.
 */
export function subjectRegexes(patterns: readonly string[] | null | undefined): string[] | null {
  if (!patterns) return null;
  if (patterns.length === 0 || patterns.length > 50)
    throw badInput("subjects", "subjects lists 1 to 50 subjects or patterns, or is left out for all");
  return patterns.map((pattern) => {
    if (pattern.length > 200 || !SUBJECT_PATTERN.test(pattern))
      throw badInput(
        "subjects",
        `"${pattern.slice(0, 80)}" is not a subject pattern: dot-separated tokens, "*" for one token, a final ">" for the rest`,
      );
    const tokens = pattern.split(".").map((token) => (token === "*" ? "[^.]+" : token === ">" ? ".+" : token));
    return `^${tokens.join("\\.")}$`;
  });
}

/**
 * A page of this service's change history after `after` (from the beginning without it), in
 * commit order. Only changes of transactions older than every transaction still running are
 * returned: those are all finished, so no change can later appear before a position handed out
 * here, and a reader that keeps its position misses nothing and sees nothing twice.
 */
export async function readChanges(
  driver: SqlDriver,
  options: { after: ChangePosition | null; first: number; subjects: string[] | null },
): Promise<ChangePage> {
  const first = Math.min(Math.max(Math.trunc(options.first), 1), MAX_CHANGE_PAGE);
  const after = options.after ?? { txId: "0", seq: "0" };
  const rows = await driver.query<{
    tx_id: string;
    seq: string;
    id: string;
    subject: string;
    entity_type: string;
    entity_id: string;
    payload: Record<string, unknown> | string;
    occurred_at: Date | string;
  }>(
    `SELECT tx_id::text AS tx_id, seq::text AS seq, id::text AS id, subject, entity_type, entity_id, payload, occurred_at
       FROM outbox
      WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
        AND (tx_id, seq) > ($1::text::xid8, $2::bigint)
        AND ($3::text[] IS NULL OR subject ~ ANY($3::text[]))
      ORDER BY tx_id, seq
      LIMIT $4`,
    [after.txId, after.seq, options.subjects, first + 1],
  );
  return {
    hasMore: rows.length > first,
    changes: rows.slice(0, first).map((row) => ({
      position: { txId: row.tx_id, seq: row.seq },
      id: row.id,
      subject: row.subject,
      entityType: row.entity_type,
      entityId: row.entity_id,
      payload: typeof row.payload === "string" ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload,
      occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
    })),
  };
}

/** How many changes of the filter this service's history holds, as far as `readChanges` would read. */
export async function countChanges(driver: SqlDriver, subjects: string[] | null): Promise<number> {
  const [row] = await driver.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM outbox
      WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
        AND ($1::text[] IS NULL OR subject ~ ANY($1::text[]))`,
    [subjects],
  );
  return Number(row?.n ?? 0);
}
