import type { SqlDriver } from "@lotgraph/kit";

/**
 * What may change without any data changing: the outbox relay stamps what it has published and
 * renews its lease; a failed sign-in, or a wrong current password given to change one, is counted
 * and audited (it must be: that is the lockout and its trail). Everything else a request could
 * change is counted.
 */
const BOOKKEEPING: Record<string, { columns?: readonly string[]; rows?: string } | "whole table"> = {
  outbox: { columns: ["published_at", "delivered_at"] },
  outbox_lease: "whole table",
  attempt_counter: "whole table",
  audit_log: { rows: "action NOT IN ('user.signInFailed', 'user.signInLocked', 'user.passwordChangeFailed')" },
};

/** Per subgraph, per table: the row count and a digest of every row (order-independent). */
export type Checksums = Record<string, Record<string, string>>;

/** Checksums of every table of every subgraph's database, to show a run of requests changed nothing. */
export async function databaseChecksums(databases: Record<string, SqlDriver>): Promise<Checksums> {
  const result: Checksums = {};
  for (const [name, driver] of Object.entries(databases)) {
    const tables = await driver.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    result[name] = {};
    for (const { table_name: table } of tables) {
      const skipped = BOOKKEEPING[table];
      if (skipped === "whole table") continue;
      const columns = skipped?.columns ?? [];
      const row = columns.length ? `to_jsonb(t) - ${columns.map((c) => `'${c}'`).join(" - ")}` : "to_jsonb(t)";
      const [digest] = await driver.query<{ rows: number; sum: string }>(
        `SELECT count(*)::int AS rows,
                md5(coalesce(string_agg(md5((${row})::text), '' ORDER BY md5((${row})::text)), '')) AS sum
           FROM "${table}" t ${skipped?.rows ? `WHERE ${skipped.rows}` : ""}`,
      );
      result[name]![table] = `${digest!.rows}:${digest!.sum}`;
    }
  }
  return result;
}

/** The tables whose checksum differs, as "subgraph.table: before -> after". */
export function checksumChanges(before: Checksums, after: Checksums): string[] {
  const changes: string[] = [];
  for (const [name, tables] of Object.entries({ ...before, ...after })) {
    for (const table of Object.keys({ ...before[name], ...tables })) {
      const was = before[name]?.[table];
      const is = after[name]?.[table];
      if (was !== is) changes.push(`${name}.${table}: ${was ?? "absent"} -> ${is ?? "absent"}`);
    }
  }
  return changes;
}
