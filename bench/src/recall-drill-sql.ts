import type { SqlDriver } from "@lotgraph/kit";

/** Rows per INSERT: a few MB of parameters, well under what PGlite and pg take in one message. */
const BATCH = 10_000;

/**
 * Inserts `rows` into `table` in batches of one statement each, every column passed as one array
 * and spread by `unnest`: `columns` maps each column to its SQL type, `values` gives a row's
 * values in that order.
 */
export async function insertRows<T>(
  db: SqlDriver,
  table: string,
  columns: Record<string, string>,
  rows: readonly T[],
  values: (row: T, index: number) => unknown[],
): Promise<void> {
  const names = Object.keys(columns);
  // PGlite serialises a parameter by its declared type and knows no enum array: those go as text.
  const arrays = Object.values(columns).map((type, k) =>
    type.startsWith('"') ? `$${k + 1}::text[]::${type}[]` : `$${k + 1}::${type}[]`,
  );
  const sql = `INSERT INTO ${table} (${names.map((n) => `"${n}"`).join(", ")}) SELECT * FROM unnest(${arrays.join(", ")})`;
  for (let first = 0; first < rows.length; first += BATCH) {
    const last = Math.min(rows.length, first + BATCH);
    const params: unknown[][] = names.map(() => new Array<unknown>(last - first));
    for (let i = first; i < last; i++) {
      const row = values(rows[i]!, i);
      for (let k = 0; k < names.length; k++) params[k]![i - first] = row[k];
    }
    await db.query(sql, params);
  }
}

interface Definition {
  table: string;
  name: string;
  definition: string;
}

/**
 * Runs `load` with the indexes, keys and foreign keys of `tables` dropped, then builds them again
 * from their catalogue definitions, so they come back exactly as the migrations made them (a
 * foreign key's check then proves the load consistent). Random uuids inserted row by row into
 * B-trees larger than PGlite's buffer cache stall the load (bench/src/genealogy.ts); a sorted
 * build takes seconds.
 */
export async function withIndexesRebuilt(
  db: SqlDriver,
  tables: readonly string[],
  load: () => Promise<void>,
  log: (line: string) => void,
): Promise<void> {
  const foreignKeys = await db.query<Definition>(
    `SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE contype = 'f' AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[]))`,
    [tables],
  );
  const keys = await db.query<Definition>(
    `SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid = ANY($1::regclass[])`,
    [tables],
  );
  const indexes = await db.query<Definition>(
    `SELECT i.indrelid::regclass::text AS "table", i.indexrelid::regclass::text AS name,
            pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))`,
    [tables],
  );
  for (const fk of foreignKeys) await db.exec(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
  for (const key of keys) await db.exec(`ALTER TABLE ${key.table} DROP CONSTRAINT "${key.name}"`);
  for (const index of indexes) await db.exec(`DROP INDEX ${index.name}`);
  await load();
  // Sorts of millions of keys fit in memory instead of spilling to PGlite's emulated file system.
  await db.exec("SET maintenance_work_mem = '256MB'");
  const rebuilt = [
    ...keys.map((k) => `ALTER TABLE ${k.table} ADD CONSTRAINT "${k.name}" ${k.definition}`),
    ...indexes.map((i) => i.definition),
    ...foreignKeys.map((fk) => `ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.definition}`),
  ];
  for (const statement of rebuilt) {
    // PGlite runs PostgreSQL single-user, with no checkpointer: without a checkpoint between
    // them, index builds after a large load stalled for minutes (bench/src/genealogy.ts).
    await db.exec("CHECKPOINT");
    const started = performance.now();
    await db.exec(statement);
    log(`    ${statement.slice(0, 90)}… ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await db.exec("RESET maintenance_work_mem");
  // One statement each: VACUUM cannot run inside the implicit transaction of a multi-statement exec.
  for (const table of tables) await db.exec(`VACUUM ANALYZE ${table}`);
}
