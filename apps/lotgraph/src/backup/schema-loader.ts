import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { MIGRATIONS_TABLE_DDL, type Migration, type SqlDriver } from "@lotgraph/kit";
import { BackupRefused, type Progress, type SubgraphBackup, type TableFile } from "./backup-format.ts";
import { qualified, quoted } from "./identifiers.ts";
import { relationsOf } from "./snapshot-reader.ts";

/** About this many bytes of rows per INSERT: few round trips, bounded statement size. */
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Recreates one subgraph's schema inside the caller's transaction: the schema, the migrations
 * the backup had (from this code, checked against the backup's checksums), then every table's
 * rows exactly as they were, then the sequences.
 *
 * Rows go in with the tables' own triggers off (`DISABLE TRIGGER USER`, which the owner of the
 * tables may do; foreign keys stay checked): the triggers stamp `updated_at` on insert or refuse
 * a negative balance, and a restore must put back what was stored, not what a new insert would
 * store. Tables are filled parents first, so every foreign key holds as each row arrives (a key
of a table to itself is checked once its table is full).
 */
export async function loadSchema(
  tx: SqlDriver,
  options: {
    dir: string;
    subgraph: string;
    schema: string;
    backup: SubgraphBackup;
    migrations: readonly Migration[];
    progress: Progress;
  },
): Promise<void> {
  const { schema, backup, progress } = options;
  await tx.exec(`CREATE SCHEMA ${quoted(schema)}`);
  await tx.exec(`SET LOCAL search_path TO ${quoted(schema)}`);
  await tx.exec(MIGRATIONS_TABLE_DDL);
  for (const migration of options.migrations) await tx.exec(migration.sql);
  const files = new Map(backup.tables.map((file) => [file.table, file]));
  const tables = await relationsOf(tx, schema, "r");
  const missing = [...files.keys()].filter((table) => !tables.includes(table));
  if (missing.length > 0) {
    throw new BackupRefused(
      `restore refused: the backup's ${options.subgraph} has table(s) ${missing.join(", ")} that its migrations do not create here`,
    );
  }
  for (const table of await parentsFirst(tx, schema, tables)) {
    const file = files.get(table);
    if (file) await loadTable(tx, options.dir, schema, file, progress);
  }
  for (const sequence of backup.sequences) {
    await tx.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [
      qualified(schema, sequence.name),
      sequence.lastValue,
      sequence.isCalled,
    ]);
  }
}

async function loadTable(tx: SqlDriver, dir: string, schema: string, file: TableFile, progress: Progress) {
  const target = qualified(schema, file.table);
  const insert = await insertStatement(tx, target);
  await tx.exec(`ALTER TABLE ${target} DISABLE TRIGGER USER`);
  const rows = await withoutSelfReferences(tx, target, () => insertRows(tx, insert, join(dir, file.path)));
  await moveTransactionIdsIntoThePast(tx, target);
  await tx.exec(`ALTER TABLE ${target} ENABLE TRIGGER USER`);
  if (rows !== file.rows) {
    throw new BackupRefused(`restore refused: ${file.path} holds ${rows} rows, the manifest says ${file.rows}`);
  }
  progress(`  ${file.path}: ${rows} rows`);
}

/**
 * An INSERT of a batch of rows, given as one JSON array. json_populate_recordset parses each value
 * with its column type's own input function: the text to_json wrote comes back as the same value
 * (numerics, timestamps, enums, arrays, bytea). Generated columns are left to the table.
 */
async function insertStatement(tx: SqlDriver, target: string): Promise<string> {
  const columns = (
    await tx.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
        ORDER BY attnum`,
      [target],
    )
  )
    .map((column) => quoted(column.name))
    .join(", ");
  return `INSERT INTO ${target} (${columns}) OVERRIDING SYSTEM VALUE
    SELECT ${columns} FROM json_populate_recordset(NULL::${target}, $1::json)`;
}

/** Inserts a table file's rows in batches of about BATCH_BYTES; returns how many. */
async function insertRows(tx: SqlDriver, insert: string, path: string): Promise<number> {
  let batch: string[] = [];
  let bytes = 0;
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await tx.query(insert, [`[${batch.join(",")}]`]);
    rows += batch.length;
    batch = [];
    bytes = 0;
  };
  for await (const line of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(line);
    bytes += line.length;
    if (bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  return rows;
}

/**
 * A foreign key from a table to itself (a location's parent) is checked at the end of each
 * INSERT, and rows come in the order they were read: a child may be in an earlier batch than its
 * parent. Such keys are dropped for the load and added back after it, which checks every row.
 */
async function withoutSelfReferences<T>(tx: SqlDriver, target: string, load: () => Promise<T>): Promise<T> {
  const keys = await tx.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = $1::regclass AND confrelid = conrelid AND contype = 'f'`,
    [target],
  );
  for (const key of keys) await tx.exec(`ALTER TABLE ${target} DROP CONSTRAINT ${quoted(key.name)}`);
  const result = await load();
  for (const key of keys) await tx.exec(`ALTER TABLE ${target} ADD CONSTRAINT ${quoted(key.name)} ${key.definition}`);
  return result;
}

/**
 * The change feed and the ledger feed read rows in commit order by the id of the transaction that
 * wrote them (an `xid8` column), and only rows of transactions older than every one still running
 * (kit migration 0006). Restored into another cluster, those ids may lie ahead of the new
 * cluster's counter, and the feeds would hide the rows until it caught up. Every id not already in
 * the past becomes the restore's own transaction id: rows keep their order relative to older ones,
 * and among themselves fall back to their sequence number, as rows written before 0006 do.
 */
async function moveTransactionIdsIntoThePast(tx: SqlDriver, target: string): Promise<void> {
  const columns = await tx.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = $1::regclass AND atttypid = 'xid8'::regtype AND attnum > 0 AND NOT attisdropped`,
    [target],
  );
  for (const { name } of columns) {
    await tx.exec(
      `UPDATE ${target} SET ${quoted(name)} = pg_current_xact_id() WHERE ${quoted(name)} >= pg_current_xact_id()`,
    );
  }
}

/** The schema's tables ordered so that every table comes after the tables its foreign keys point to. */
async function parentsFirst(tx: SqlDriver, schema: string, tables: string[]): Promise<string[]> {
  const references = await tx.query<{ child: string; parent: string }>(
    `SELECT child.relname AS child, parent.relname AS parent
       FROM pg_constraint c
       JOIN pg_class child ON child.oid = c.conrelid
       JOIN pg_class parent ON parent.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = child.relnamespace
      WHERE c.contype = 'f' AND n.nspname = $1 AND child.oid <> parent.oid`,
    [schema],
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (table: string) => {
    if (placed.has(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const reference of references) if (reference.child === table) place(reference.parent);
    visiting.delete(table);
    placed.add(table);
    ordered.push(table);
  };
  tables.forEach(place);
  return ordered;
}
