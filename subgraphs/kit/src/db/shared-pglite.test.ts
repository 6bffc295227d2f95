import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSchemaPGlite, type SchemaPGlite } from "./shared-pglite.ts";

/**
 * The embedded engine every subgraph of the all-in-one process shares (decision 0015): each
 * subgraph's statements must land in its own schema however the subgraphs' work interleaves,
 * exactly as if each had a connection of its own with its `search_path`.
 */
describe("one embedded engine, one schema per subgraph", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
  const newDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "shared-pglite-"));
    dirs.push(dir);
    return join(dir, "pglite");
  };
  /** Two schemas holding a table of the same name, as every subgraph holds `outbox`. */
  const twoSchemas = async (dir: string): Promise<[SchemaPGlite, SchemaPGlite]> => {
    const a = await openSchemaPGlite(dir, "lotgraph_a");
    const b = await openSchemaPGlite(dir, "lotgraph_b");
    for (const view of [a, b]) await view.exec("CREATE TABLE IF NOT EXISTS item (name text NOT NULL)");
    return [a, b];
  };
  const names = async (view: SchemaPGlite) =>
    (await view.query<{ name: string }>("SELECT name FROM item ORDER BY name")).rows.map((r) => r.name);

  it("keeps each schema's rows apart while queries, statements and transactions interleave", async () => {
    const [a, b] = await twoSchemas(await newDir());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const view = i % 2 === 0 ? a : b;
        if (i % 3 === 0) return view.exec(`INSERT INTO item VALUES ('exec-${i}')`);
        if (i % 3 === 1) return view.query("INSERT INTO item VALUES ($1)", [`query-${i}`]);
        return view.transaction(async (tx) => {
          await tx.query("INSERT INTO item VALUES ($1)", [`tx-${i}`]);
          await tx.exec(`INSERT INTO item VALUES ('tx-exec-${i}')`);
        });
      }),
    );
    const inA = await names(a);
    const inB = await names(b);
    expect(inA).toHaveLength(13);
    expect(inB).toHaveLength(13);
    expect(inA.every((name) => Number(name.split("-").at(-1)) % 2 === 0)).toBe(true);
    expect(inB.every((name) => Number(name.split("-").at(-1)) % 2 === 1)).toBe(true);
    await a.close();
    await b.close();
  });

  it("leaves the other schema's statements where they belong after a failed transaction or statement", async () => {
    const [a, b] = await twoSchemas(await newDir());
    await expect(
      a.transaction(async (tx) => {
        await tx.query("INSERT INTO item VALUES ('rolled back')");
        throw new Error("the business rule refused it");
      }),
    ).rejects.toThrow("the business rule refused it");
    await expect(a.query("SELECT no_such_column FROM item")).rejects.toThrow(/no_such_column/);
    await expect(b.exec("INSERT INTO item VALUES ('fine'); SELECT 1/0")).rejects.toThrow(/division by zero/);
    await b.query("INSERT INTO item VALUES ('in b')");
    await a.query("INSERT INTO item VALUES ('in a')");
    expect(await names(a)).toEqual(["in a"]);
    expect(await names(b)).toEqual(["in b"]);
    await a.close();
    await b.close();
  });

  it("shares one engine per directory, closes it with its last user, and reopens it with its data", async () => {
    const dir = await newDir();
    const [a, b] = await twoSchemas(dir);
    await a.query("INSERT INTO item VALUES ('kept')");
    await a.close();
    await expect(a.query("SELECT 1")).rejects.toThrow(/closed/);
    expect(await names(b)).toEqual([]); // the engine lives on for b

    await b.close();
    const again = await openSchemaPGlite(dir, "lotgraph_a");
    expect(await names(again)).toEqual(["kept"]);
    await again.close();
  });

  it("creates the schema of a subgraph that opens it for the first time", async () => {
    const view = await openSchemaPGlite(await newDir(), "lotgraph_new");
    const [row] = (await view.query<{ schema: string }>("SELECT current_schema() AS schema")).rows;
    expect(row?.schema).toBe("lotgraph_new");
    await view.close();
  });
});
