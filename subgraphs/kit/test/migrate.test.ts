/**
 * The migration runner on every database target: PGlite always; PostgreSQL only when
 * DATABASE_URL is set (without it the PostgreSQL runs are skipped, there being no server to
 * reach). Each test migrates a fresh database of its own (a new schema on PostgreSQL, all
 * dropped in afterAll).
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../src/db/migrate.ts";
import { kitTestTargets } from "../src/testing/sql-executor.ts";

const targets = kitTestTargets("kit_migrate");
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "kit-migrate-"));
});

afterAll(async () => {
  await Promise.all(targets.map((t) => t.dispose()));
  await rm(scratch, { recursive: true, force: true });
});

let dirCount = 0;
/** A migrations directory in Prisma's layout; folders are written in the order given. */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = join(scratch, `m${++dirCount}`);
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

// Written newest first: the runner must sort by folder name, since 002 needs 001's table.
const HISTORY = {
  "003_seed": "INSERT INTO widget (id, colour) VALUES (1, 'red');",
  "002_colour": "ALTER TABLE widget ADD COLUMN colour text NOT NULL;",
  "001_widget": "CREATE TABLE widget (id int PRIMARY KEY);",
};

describe.each(targets)("migrate on $name", (target) => {
  it("applies pending migrations in id order and records each with its checksum", async () => {
    const db = await target.open({ kitMigrations: false });
    const report = await migrate(db.driver, await readMigrations(await migrationsDir(HISTORY), "app/"));
    expect(report).toEqual({ applied: ["app/001_widget", "app/002_colour", "app/003_seed"], alreadyApplied: [] });
    const recorded = await db.driver.query<{ id: string; checksum: string }>(
      "SELECT id, checksum FROM _lotgraph_migrations ORDER BY id",
    );
    expect(recorded).toEqual([
      { id: "app/001_widget", checksum: sha256(HISTORY["001_widget"]) },
      { id: "app/002_colour", checksum: sha256(HISTORY["002_colour"]) },
      { id: "app/003_seed", checksum: sha256(HISTORY["003_seed"]) },
    ]);
    expect(await db.driver.query("SELECT id, colour FROM widget")).toEqual([{ id: 1, colour: "red" }]);
  });

  it("applies nothing when run again, and only what is new after that", async () => {
    const db = await target.open({ kitMigrations: false });
    const dir = await migrationsDir(HISTORY);
    await migrate(db.driver, await readMigrations(dir));
    const again = await migrate(db.driver, await readMigrations(dir));
    expect(again).toEqual({ applied: [], alreadyApplied: ["001_widget", "002_colour", "003_seed"] });
    // 003 inserted its row once only.
    expect(await db.driver.query("SELECT count(*)::int AS n FROM widget")).toEqual([{ n: 1 }]);

    await mkdir(join(dir, "004_size"));
    await writeFile(join(dir, "004_size", "migration.sql"), "ALTER TABLE widget ADD COLUMN size int;");
    const next = await migrate(db.driver, await readMigrations(dir));
    expect(next.applied).toEqual(["004_size"]);
  });

  it("refuses an applied migration whose file has since changed, applying nothing after it", async () => {
    const db = await target.open({ kitMigrations: false });
    const dir = await migrationsDir(HISTORY);
    await migrate(db.driver, await readMigrations(dir));
    await writeFile(join(dir, "002_colour", "migration.sql"), "ALTER TABLE widget ADD COLUMN colour varchar(10);");
    await mkdir(join(dir, "004_size"));
    await writeFile(join(dir, "004_size", "migration.sql"), "ALTER TABLE widget ADD COLUMN size int;");

    await expect(migrate(db.driver, await readMigrations(dir))).rejects.toThrow(
      /migration 002_colour was changed after it was applied .*add a new migration instead/,
    );
    const ids = await db.driver.query<{ id: string }>("SELECT id FROM _lotgraph_migrations ORDER BY id");
    expect(ids.map((r) => r.id)).toEqual(["001_widget", "002_colour", "003_seed"]);
  });

  it("rolls a failing migration back completely: no half-made table, no bookkeeping row", async () => {
    const db = await target.open({ kitMigrations: false });
    const dir = await migrationsDir({
      "001_widget": HISTORY["001_widget"],
      "002_broken":
        "CREATE TABLE gadget (id int PRIMARY KEY);\nINSERT INTO gadget (id) VALUES (1);\nINSERT INTO no_such_table VALUES (1);",
      "003_after": "CREATE TABLE after_broken (id int);",
    });
    await expect(migrate(db.driver, await readMigrations(dir))).rejects.toThrow(/no_such_table/);

    const tables = await db.driver.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
    );
    expect(tables.map((t) => t.name)).toEqual(["_lotgraph_migrations", "widget"]);
    const ids = await db.driver.query<{ id: string }>("SELECT id FROM _lotgraph_migrations ORDER BY id");
    expect(ids.map((r) => r.id)).toEqual(["001_widget"]);

    // Once fixed, the same migration applies from a clean slate.
    await writeFile(join(dir, "002_broken", "migration.sql"), "CREATE TABLE gadget (id int PRIMARY KEY);");
    const report = await migrate(db.driver, await readMigrations(dir));
    expect(report).toEqual({ applied: ["002_broken", "003_after"], alreadyApplied: ["001_widget"] });
  });

  it("reads a missing migrations directory as no migrations", async () => {
    await expect(readMigrations(join(scratch, "does-not-exist"))).resolves.toEqual([]);
  });
});

// Two replicas starting together: needs two real connections, so PostgreSQL only (PGlite has a
// single connection by nature).
describe.each(targets.filter((t) => t.name === "PostgreSQL"))("migrate on $name, concurrently", (target) => {
  it("applies each migration exactly once when two replicas migrate at the same time", async () => {
    for (let round = 0; round < 3; round++) {
      const db = await target.open({ kitMigrations: false });
      const replica = db.connectAgain();
      // Not idempotent on purpose: a second application would fail or double the rows.
      const dir = await migrationsDir({
        "001_slow": "CREATE TABLE ledger (n int); SELECT pg_sleep(0.1); INSERT INTO ledger VALUES (1);",
        "002_more": "INSERT INTO ledger VALUES (2);",
        "003_table": "CREATE TABLE other (id int);",
      });
      const migrations = await readMigrations(dir);
      const [a, b] = await Promise.all([migrate(db.driver, migrations), migrate(replica.driver, migrations)]);

      expect([...a.applied, ...b.applied].sort()).toEqual(["001_slow", "002_more", "003_table"]);
      expect([...a.alreadyApplied, ...b.alreadyApplied].sort()).toEqual(["001_slow", "002_more", "003_table"]);
      expect(await db.driver.query("SELECT n FROM ledger ORDER BY n")).toEqual([{ n: 1 }, { n: 2 }]);
      await db.close();
    }
  });
});
