/**
 * Database port conformance (DESIGN.md §2): one suite, run against every adapter available.
 * PGlite always runs; PostgreSQL runs when DATABASE_URL is set (skipped otherwise, there being
 * no server to reach). The store under test is inventory's: its generated Prisma client and its
 * migrations on top of the kit's. Every database is its own: an in-memory PGlite or temp data
 * dir, or a fresh schema on PostgreSQL, all dropped or removed in afterAll.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { waitFor } from "../support/wait.ts";
import {
  appendAudit,
  countChanges,
  Database,
  readChanges,
  readMigrations,
  subjectRegexes,
  writeOutboxEvent,
  type ChangePosition,
  type DatabaseTarget,
} from "@lotgraph/kit";
import { Prisma, PrismaClient } from "@lotgraph/inventory/prisma";

const INVENTORY = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "subgraphs", "inventory");
const MIGRATIONS = join(INVENTORY, "prisma", "migrations");
const RUN = randomBytes(4).toString("hex");

type InventoryDatabase = Database<PrismaClient, Prisma.TransactionClient>;

interface Adapter {
  name: string;
  /** Where a new, empty database goes; the same target can be opened again after a close. */
  newTarget(): Promise<DatabaseTarget>;
  /** Removes every database this adapter made. */
  dispose(): Promise<void>;
  /** Whether two transactions can be open at once (PostgreSQL), or run one after another (PGlite). */
  concurrentTransactions?: boolean;
}

function pgliteAdapter(): Adapter {
  const dirs: string[] = [];
  return {
    name: "PGlite",
    async newTarget() {
      const dir = await mkdtemp(join(tmpdir(), "conformance-db-"));
      dirs.push(dir);
      return { kind: "pglite", dataDir: join(dir, "inventory") };
    },
    async dispose() {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/**
 * One schema of the embedded engine the all-in-one process shares between its subgraphs
 * (decision 0015). Every database of this adapter is another schema of one engine, so each test
 * also runs beside the schemas of the tests before it, all of them holding the same tables.
 */
function sharedPgliteAdapter(): Adapter {
  let dir: Promise<string> | null = null;
  let schemas = 0;
  return {
    name: "PGlite, one schema of a shared engine",
    async newTarget() {
      dir ??= mkdtemp(join(tmpdir(), "conformance-db-shared-"));
      return { kind: "pglite", dataDir: join(await dir, "pglite"), schema: `conformance_${++schemas}` };
    },
    async dispose() {
      if (dir) await rm(await dir, { recursive: true, force: true });
    },
  };
}

function postgresAdapter(url: string): Adapter {
  const schemas: string[] = [];
  return {
    name: "PostgreSQL",
    concurrentTransactions: true,
    async newTarget() {
      const schema = `conformance_db_${RUN}_${schemas.length + 1}`;
      schemas.push(schema);
      return { kind: "postgres", url, schema };
    },
    async dispose() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

const adapters: Adapter[] = [pgliteAdapter(), sharedPgliteAdapter()];
if (process.env.DATABASE_URL) adapters.push(postgresAdapter(process.env.DATABASE_URL));
afterAll(() => Promise.all(adapters.map((a) => a.dispose())));

function openAt(target: DatabaseTarget): Promise<InventoryDatabase> {
  return Database.open<PrismaClient, Prisma.TransactionClient>({
    target,
    migrationsDir: MIGRATIONS,
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
}

async function openFresh(adapter: Adapter): Promise<InventoryDatabase> {
  const db = await openAt(await adapter.newTarget());
  onTestFinished(() => db.close());
  return db;
}

async function createLot(tx: Prisma.TransactionClient, quantity: string): Promise<string> {
  const material = await tx.material.create({
    data: { id: randomUUID(), sku: `SKU-${randomUUID()}`, name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
  });
  const lot = await tx.lot.create({
    data: {
      id: randomUUID(),
      code: `L-${randomUUID()}`,
      materialId: material.id,
      quantity,
      uom: "kg",
      status: "AVAILABLE",
    },
  });
  return lot.id;
}

async function count(db: InventoryDatabase, table: string): Promise<number> {
  const [row] = await db.driver.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return row?.n ?? -1;
}

const actor = { id: "user-1", name: "Alice" };
/** Every migration the store must apply: the kit's, then inventory's, in order. */
const ALL_MIGRATIONS = [
  "kit/0001_kit_runtime",
  "kit/0002_audit_reads",
  "kit/0003_pending_writes",
  "kit/0004_outbox_delivered",
  "kit/0005_write_path_locks",
  "kit/0006_outbox_feed_order",
  "kit/0007_outbox_trace_context",
  ...(await readMigrations(MIGRATIONS)).map((m) => m.id),
];

describe.each(adapters)("Database on $name", (adapter) => {
  it("opens migrated: the kit's tables and the subgraph's, each migration recorded once", async () => {
    const db = await openFresh(adapter);
    expect(db.migrations.applied).toEqual(ALL_MIGRATIONS);
    expect(ALL_MIGRATIONS.length).toBeGreaterThan(2);
    expect(db.migrations.alreadyApplied).toEqual([]);
    const tables = await db.driver.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        "_lotgraph_migrations",
        "outbox",
        "audit_log",
        "idempotency_key",
        "pending_write",
        "lot",
        "stock_movement",
      ]),
    );
  });

  it("commits Prisma writes and raw kit writes of one transaction together", async () => {
    const db = await openFresh(adapter);
    const lotId = await db.transaction(async (tx) => {
      const id = await createLot(tx, "10");
      await writeOutboxEvent(tx, { subject: "lotgraph.inventory.lot.received", entityType: "Lot", entityId: id });
      await appendAudit(tx, { actor, action: "lot.received", entityType: "Lot", entityId: id });
      return id;
    });
    expect(await db.client.lot.findUnique({ where: { id: lotId } })).not.toBeNull();
    expect([await count(db, "outbox"), await count(db, "audit_log")]).toEqual([1, 1]);
  });

  it("rolls back Prisma writes and raw kit writes of a failed transaction together", async () => {
    const db = await openFresh(adapter);
    await expect(
      db.transaction(async (tx) => {
        const id = await createLot(tx, "10");
        await writeOutboxEvent(tx, { subject: "lotgraph.inventory.lot.received", entityType: "Lot", entityId: id });
        await appendAudit(tx, { actor, action: "lot.received", entityType: "Lot", entityId: id });
        throw new Error("a later rule failed");
      }),
    ).rejects.toThrow(/a later rule failed/);
    const counts = await Promise.all(["material", "lot", "outbox", "audit_log"].map((t) => count(db, t)));
    expect(counts).toEqual([0, 0, 0, 0]);
  });

  it("calls onCommitted listeners only after a commit that wrote an event, when the change is visible to others", async () => {
    const db = await openFresh(adapter);
    const seenByListener: Array<Promise<number>> = [];
    const unsubscribe = db.onCommitted(() => seenByListener.push(count(db, "material")));
    const lotWithEvent = async (tx: Prisma.TransactionClient) => {
      const lotId = await createLot(tx, "1");
      await writeOutboxEvent(tx, { subject: "lotgraph.test.lot.made", entityType: "Lot", entityId: lotId });
    };

    await db.transaction(async (tx) => {
      await lotWithEvent(tx);
      expect(seenByListener).toHaveLength(0);
    });
    expect(seenByListener).toHaveLength(1);
    await expect(seenByListener[0]).resolves.toBe(1);

    // Nothing for the relay to publish: its listener is not called (it polls for the rest).
    await db.transaction((tx) => createLot(tx, "1"));
    expect(seenByListener).toHaveLength(1);

    await expect(
      db.transaction(async (tx) => {
        await lotWithEvent(tx);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow(/rolled back/);
    expect(seenByListener).toHaveLength(1);

    unsubscribe();
    await db.transaction(lotWithEvent);
    expect(seenByListener).toHaveLength(1);
  });

  it("round-trips Decimal(20,6) quantities exactly", async () => {
    const db = await openFresh(adapter);
    for (const quantity of ["0.000001", "99999999999999.999999", "12.5"]) {
      const id = await db.transaction((tx) => createLot(tx, quantity));
      const lot = await db.client.lot.findUniqueOrThrow({ where: { id } });
      expect(lot.quantity.toFixed(6)).toBe(new Prisma.Decimal(quantity).toFixed(6));
      expect(lot.quantity.equals(new Prisma.Decimal(quantity))).toBe(true);
      const [raw] = await db.driver.query<{ q: string }>("SELECT quantity::text AS q FROM lot WHERE id = $1::uuid", [
        id,
      ]);
      expect(raw?.q).toBe(new Prisma.Decimal(quantity).toFixed(6));
    }
  });

  it("serialises concurrent read-modify-writes with SELECT ... FOR UPDATE", async () => {
    const db = await openFresh(adapter);
    const lotId = await db.transaction((tx) => createLot(tx, "100.000000"));
    const take = "7.000001";

    await Promise.all(
      Array.from({ length: 10 }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.$queryRawUnsafe<Array<{ q: string }>>(
            "SELECT quantity::text AS q FROM lot WHERE id = $1::uuid FOR UPDATE",
            lotId,
          );
          // Without the row lock, another transaction would read the same quantity meanwhile.
          await sleep(20);
          const next = new Prisma.Decimal(row?.q ?? "NaN").minus(take);
          await tx.lot.update({ where: { id: lotId }, data: { quantity: next.toFixed(6) } });
          await tx.stockMovement.create({
            data: {
              id: randomUUID(),
              lotId,
              kind: "CONSUMPTION",
              quantity: `-${take}`,
              balance: next.toFixed(6),
              actorId: actor.id,
              actorName: actor.name,
            },
          });
        }),
      ),
    );

    const [row] = await db.driver.query<{ q: string; moved: string }>(
      `SELECT l.quantity::text AS q, (SELECT sum(quantity)::text FROM stock_movement WHERE lot_id = l.id) AS moved
         FROM lot l WHERE l.id = $1::uuid`,
      [lotId],
    );
    expect(row).toEqual({ q: "29.999990", moved: "-70.000010" });
  });

  it("reads the change history in commit order, each change once, paged by position", async () => {
    const db = await openFresh(adapter);
    for (const entityId of ["a", "b", "c", "d", "e"])
      await db.transaction((tx) =>
        writeOutboxEvent(tx, {
          subject: `lotgraph.test.${entityId === "c" ? "other" : "lot"}.made`,
          entityType: "Lot",
          entityId,
        }),
      );
    // The feed shows a change once every transaction older than its own has ended, and on
    // PostgreSQL that means every transaction in the cluster: another suite's open transaction in
    // another database holds these back for a moment (decision 0022). Wait for that, then read.
    await waitFor(
      "the five changes to pass every running transaction",
      async () => (await countChanges(db.driver, null)) === 5,
      {
        timeoutMs: 30_000,
        intervalMs: 50,
      },
    );
    const seen: string[] = [];
    let after: ChangePosition | null = null;
    for (;;) {
      const page = await readChanges(db.driver, { after, first: 2, subjects: null });
      seen.push(...page.changes.map((change) => change.entityId));
      if (!page.hasMore) break;
      after = page.changes.at(-1)!.position;
    }
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
    const lots = await readChanges(db.driver, {
      after: null,
      first: 10,
      subjects: subjectRegexes(["lotgraph.test.lot.*"]),
    });
    expect(lots.changes.map((change) => change.entityId)).toEqual(["a", "b", "d", "e"]);
    expect(await countChanges(db.driver, subjectRegexes(["lotgraph.test.>"]))).toBe(5);
  });

  // Runs where two transactions can be open at once (PostgreSQL). PGlite runs one transaction at a
  // time, so no commit can overtake another there: the case this test builds cannot happen.
  it.runIf(adapter.concurrentTransactions === true)(
    "hands out no position a transaction still running could commit before",
    async () => {
      const db = await openFresh(adapter);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      // The first transaction takes the lower seq and commits last.
      const slow = db.transaction(async (tx) => {
        await writeOutboxEvent(tx, { subject: "lotgraph.test.lot.made", entityType: "Lot", entityId: "slow" });
        written();
        await held;
      });
      await wrote;
      await db.transaction((tx) =>
        writeOutboxEvent(tx, { subject: "lotgraph.test.lot.made", entityType: "Lot", entityId: "fast" }),
      );
      const whileRunning = await readChanges(db.driver, { after: null, first: 10, subjects: null });
      expect(whileRunning.changes).toEqual([]);
      release();
      await slow;
      const afterCommit = await readChanges(db.driver, { after: null, first: 10, subjects: null });
      expect(afterCommit.changes.map((change) => change.entityId)).toEqual(["slow", "fast"]);
    },
  );

  it("refuses UPDATE, DELETE and TRUNCATE of the stock ledger", async () => {
    const db = await openFresh(adapter);
    const lotId = await db.transaction((tx) => createLot(tx, "5"));
    const movement = await db.client.stockMovement.create({
      data: {
        id: randomUUID(),
        lotId,
        kind: "RECEIPT",
        quantity: "5",
        balance: "5",
        actorId: actor.id,
        actorName: actor.name,
      },
    });

    await expect(
      db.transaction((tx) => tx.stockMovement.update({ where: { id: movement.id }, data: { quantity: "50" } })),
    ).rejects.toThrow(/append-only/);
    await expect(db.client.stockMovement.delete({ where: { id: movement.id } })).rejects.toThrow(/append-only/);
    await expect(db.driver.query("TRUNCATE stock_movement")).rejects.toThrow(/append-only/);
    const kept = await db.client.stockMovement.findUniqueOrThrow({ where: { id: movement.id } });
    expect(kept.quantity.toFixed(6)).toBe("5.000000");
  });

  it("releases everything on close, so the same database opens again with its data", async () => {
    const target = await adapter.newTarget();
    const first = await openAt(target);
    const lotId = await first.transaction((tx) => createLot(tx, "3.25"));
    await first.close();
    await expect(first.driver.query("SELECT 1")).rejects.toThrow();

    const second = await openAt(target);
    try {
      expect(second.migrations).toEqual({
        applied: [],
        alreadyApplied: ALL_MIGRATIONS,
      });
      const lot = await second.client.lot.findUniqueOrThrow({ where: { id: lotId } });
      expect(lot.quantity.toFixed(2)).toBe("3.25");
    } finally {
      await second.close();
    }
  });
});
