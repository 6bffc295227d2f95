import { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StrictPrismaPGlite } from "./strict-pglite-adapter.ts";

/** A table whose rows are checked at COMMIT (a deferred constraint trigger): odd ids fail there. */
const SCHEMA = `
  CREATE TABLE entry (id int PRIMARY KEY);
  CREATE FUNCTION refuse_odd() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.id % 2 = 1 THEN RAISE EXCEPTION 'odd entry % refused at commit', NEW.id; END IF;
    RETURN NULL;
  END $$;
  CREATE CONSTRAINT TRIGGER refuse_odd AFTER INSERT ON entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_odd();`;

/** One Prisma-style transaction through the adapter: insert, then commit. */
async function insertAndCommit(factory: SqlDriverAdapterFactory, id: number): Promise<void> {
  const adapter = await factory.connect();
  const tx = await adapter.startTransaction();
  await tx.executeRaw({
    sql: "INSERT INTO entry (id) VALUES ($1)",
    args: [id],
    argTypes: [{ scalarType: "int", arity: "scalar" }],
  });
  await tx.commit();
}

describe("StrictPrismaPGlite", () => {
  let pglite: PGlite;
  const count = async () => (await pglite.query<{ n: number }>("SELECT count(*)::int AS n FROM entry")).rows[0]!.n;

  beforeEach(async () => {
    pglite = new PGlite();
    await pglite.exec(SCHEMA);
  });
  afterEach(async () => {
    await pglite.close();
  });

  it("fails a transaction whose COMMIT fails, and commits the others", async () => {
    await expect(insertAndCommit(new StrictPrismaPGlite(pglite), 1)).rejects.toThrow(/odd entry 1 refused at commit/);
    expect(await count()).toBe(0);
    await insertAndCommit(new StrictPrismaPGlite(pglite), 2);
    expect(await count()).toBe(1);
    // The connection is usable after the failure: no transaction was left open.
    expect((await pglite.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("is needed: pglite-prisma-adapter alone reports such a commit as done (drop the wrapper when this fails)", async () => {
    await insertAndCommit(new PrismaPGlite(pglite), 1);
    expect(await count(), "the write was rolled back, yet commit() resolved").toBe(0);
  });
});
