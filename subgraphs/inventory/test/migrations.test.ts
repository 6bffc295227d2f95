import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, describe, expect, it } from "vitest";
import { appendAudit, migrate, readMigrations, type SqlDriver } from "@lotgraph/kit";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const KIT = join(ROOT, "kit", "migrations");
const INVENTORY = join(ROOT, "inventory", "prisma", "migrations");

/** The smallest SqlDriver over PGlite: enough for the migration runner and a few queries. */
function driverOver(db: PGlite): SqlDriver {
  const driver: SqlDriver = {
    query: async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (fn) => fn(driver),
    close: () => db.close(),
  };
  return driver;
}

/**
 * Databases created before the ledger carried actor names and balances already hold receipts;
 * the migration that adds those columns must fill them in, through the append-only guard.
 */
describe("inventory migrations on a database that already holds stock", () => {
  let db: PGlite | undefined;
  afterEach(async () => {
    await db?.close();
  });

  it("backfills actor names and running balances, then guards against negative stock", async () => {
    db = new PGlite();
    const sql = driverOver(db);
    const kit = await readMigrations(KIT, "kit/");
    const all = await readMigrations(INVENTORY);
    await migrate(sql, [...kit, ...all.slice(0, 1)]);
    await db.exec(`
      INSERT INTO material (id, sku, name, uom, kind, tracking) VALUES
        ('00000000-0000-4000-8000-000000000001', 'FLOUR', 'Flour', 'kg', 'RAW', 'LOT');
      INSERT INTO lot (id, code, material_id, quantity, uom, status) VALUES
        ('00000000-0000-4000-8000-000000000002', 'L-OLD', '00000000-0000-4000-8000-000000000001', 12.5, 'kg', 'AVAILABLE');
      INSERT INTO stock_movement (id, lot_id, kind, quantity, actor_id) VALUES
        ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'RECEIPT', 12.5, 'user-1');`);
    await appendAudit(
      {
        $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await db!.query(query, values)).rows as T,
        $executeRawUnsafe: async (query: string, ...values: unknown[]) =>
          (await db!.query(query, values)).affectedRows ?? 0,
      },
      {
        actor: { id: "user-1", name: "Otto Operator" },
        action: "lot.received",
        entityType: "Lot",
        entityId: "00000000-0000-4000-8000-000000000002",
      },
    );

    const report = await migrate(sql, [...kit, ...all]);
    expect(report.applied).toEqual(all.slice(1).map((m) => m.id));
    expect(await sql.query("SELECT actor_name, balance::text FROM stock_movement")).toEqual([
      { actor_name: "Otto Operator", balance: "12.500000" },
    ]);
    await expect(sql.query("UPDATE stock_movement SET reason = 'edited'")).rejects.toThrow(/append-only/);
    await expect(sql.query("UPDATE lot SET quantity = -1")).rejects.toThrow(/cannot be negative/);
  });
});
