import type { SqlDriver, SubgraphName } from "@lotgraph/kit";
import type { AppliedMigration, SequenceValue, SnapshotChunk } from "./backup-format.ts";
import { qualified } from "./identifiers.ts";

/**
 * Tables of the running processes, not of the plant: a relay's lease names a process that will
 * not exist after a restore, so it is left out (the restored relay takes a new one).
 */
const PROCESS_TABLES = new Set(["outbox_lease"]);

/** Rows handed on per chunk: bounds what one NDJSON line or one write holds. */
const ROWS_PER_CHUNK = 2_000;

/**
 * Reads every table of every subgraph schema through `driver`, which the caller has put inside
 * one transaction that sees one snapshot of all of them (REPEATABLE READ on PostgreSQL; on
 * PGlite, its single session's transaction, which nothing else runs beside). That one snapshot is
 * what makes the copy consistent across subgraphs: an outbox event and the row it describes, a
 * consumption in production and the stock movement in inventory, are both in it or both not.
 */
export async function* readSnapshot(
  driver: SqlDriver,
  schemas: ReadonlyArray<{ subgraph: SubgraphName; schema: string }>,
): AsyncGenerator<SnapshotChunk> {
  for (const { subgraph, schema } of schemas) {
    const tables = await relationsOf(driver, schema, "r");
    if (!tables.includes("_lotgraph_migrations")) {
      throw new Error(`schema ${schema} holds no Lotgraph data (no _lotgraph_migrations table)`);
    }
    yield {
      type: "subgraph",
      subgraph,
      schema,
      migrations: await driver.query<AppliedMigration>(
        `SELECT id, checksum FROM ${qualified(schema, "_lotgraph_migrations")} ORDER BY applied_at, id`,
      ),
      sequences: await sequencesOf(driver, schema),
    };
    for (const table of tables.filter((name) => !PROCESS_TABLES.has(name))) {
      yield { type: "table", subgraph, table };
      const rows = await driver.query<{ row: string }>(
        `SELECT to_json(t)::text AS row FROM ${qualified(schema, table)} AS t`,
      );
      for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
        const batch = rows.slice(start, start + ROWS_PER_CHUNK).map((r) => r.row);
        yield { type: "rows", subgraph, table, rows: batch };
      }
    }
  }
}

export async function relationsOf(driver: SqlDriver, schema: string, kind: "r" | "S"): Promise<string[]> {
  const rows = await driver.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = $2 ORDER BY c.relname`,
    [schema, kind],
  );
  return rows.map((row) => row.name);
}

/**
 * Sequences are not transactional: their value may be ahead of the snapshot, which only leaves a
 * gap in the numbers handed out after a restore, never a number handed out twice.
 */
async function sequencesOf(driver: SqlDriver, schema: string): Promise<SequenceValue[]> {
  const values: SequenceValue[] = [];
  for (const name of await relationsOf(driver, schema, "S")) {
    const [row] = await driver.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text AS last_value, is_called FROM ${qualified(schema, name)}`,
    );
    values.push({ name, lastValue: row!.last_value, isCalled: row!.is_called });
  }
  return values;
}
