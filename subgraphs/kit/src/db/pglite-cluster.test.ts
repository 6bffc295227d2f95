import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BatchedPGlite } from "./batched-pglite.ts";
import { clusterTemplate, openPGliteCluster } from "./pglite-cluster.ts";

/**
 * A new embedded cluster is a copy of the machine's template once one exists (decision 0017).
 * The tests use a cache directory of their own, so what they see is what they made; the first
 * test makes the template the next ones copy (`initdb` is slow, so it runs only twice here).
 */
// Two of these run initdb, which takes tens of seconds on a loaded 2-core machine.
describe("opening an embedded cluster", { timeout: 180_000 }, () => {
  let root: string;
  const engines: BatchedPGlite[] = [];
  const previousCache = process.env.LOTGRAPH_CACHE_DIR;
  let n = 0;
  const freshDir = () => join(root, `data-${++n}`);
  const open = async (dataDir?: string) => {
    const opened = await openPGliteCluster(dataDir);
    engines.push(opened.engine);
    return opened;
  };

  let sharedCache: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "pglite-cluster-"));
    sharedCache = join(root, "cache");
  });
  beforeEach(() => {
    process.env.LOTGRAPH_CACHE_DIR = sharedCache;
  });
  afterEach(() => Promise.all(engines.splice(0).map((engine) => (engine.closed ? undefined : engine.close()))));
  afterAll(async () => {
    if (previousCache === undefined) delete process.env.LOTGRAPH_CACHE_DIR;
    else process.env.LOTGRAPH_CACHE_DIR = previousCache;
    await rm(root, { recursive: true, force: true });
  });

  it("runs initdb once, keeps it as the template, and copies it for every later cluster", async () => {
    expect(existsSync(clusterTemplate().directory)).toBe(false);
    const first = await open(freshDir());
    expect(first.source).toBe("template");
    expect(existsSync(join(clusterTemplate().directory, "PG_VERSION"))).toBe(true);
    expect(existsSync(clusterTemplate().archive)).toBe(true);
    await first.engine.exec("CREATE TABLE written_after_the_copy (id int)");

    const onDiskDir = freshDir();
    const onDisk = await open(onDiskDir);
    // The copy was made beside the directory and renamed into place, leaving nothing behind.
    expect((await readdir(root)).filter((name) => name.endsWith(".partial"))).toEqual([]);
    expect(existsSync(join(onDiskDir, "PG_VERSION"))).toBe(true);
    const inMemory = await open();
    for (const copy of [onDisk, inMemory]) {
      expect(copy.source).toBe("template");
      // The template is initdb's output only: nothing written to one copy leaks into another.
      const tables = await copy.engine.query(`SELECT 1 FROM pg_tables WHERE tablename = 'written_after_the_copy'`);
      expect(tables.rows).toHaveLength(0);
      await copy.engine.exec("CREATE TABLE item (name text); INSERT INTO item VALUES ('kept')");
    }
  });

  it("reopens a directory that holds a cluster, with its data, without touching the template", async () => {
    const dir = freshDir();
    const first = await open(dir);
    expect(first.source).toBe("template");
    await first.engine.exec("CREATE TABLE item (name text); INSERT INTO item VALUES ('kept')");
    await first.engine.close();
    const archive = await readFile(clusterTemplate().archive);

    const again = await open(dir);
    expect(again.source).toBe("existing");
    expect((await again.engine.query<{ name: string }>("SELECT name FROM item")).rows).toEqual([{ name: "kept" }]);
    // Compared as bytes: a deep equality over four million array elements takes tens of seconds.
    expect(Buffer.compare(await readFile(clusterTemplate().archive), archive)).toBe(0);
    const inTemplate = await readdir(join(clusterTemplate().directory, "base"), { recursive: true });
    expect(inTemplate.length).toBeGreaterThan(0);
  });

  it("starts a new copy where a start was killed mid-copy, and removes what that copy left", async () => {
    const dir = freshDir();
    // What a kill between the copy and its rename leaves: an empty directory and, beside it, a
    // directory holding PG_VERSION and only part of a cluster.
    await mkdir(dir, { recursive: true });
    const killedCopy = `${dir}.999999.partial`;
    await mkdir(join(killedCopy, "base"), { recursive: true });
    await writeFile(join(killedCopy, "PG_VERSION"), "17\n");

    const opened = await open(dir);
    expect(opened.source).toBe("template");
    await opened.engine.exec("CREATE TABLE item (name text); INSERT INTO item VALUES ('kept')");
    expect((await opened.engine.query("SELECT name FROM item")).rows).toHaveLength(1);
    expect(existsSync(killedCopy)).toBe(false);
  });

  it("replaces a template that cannot be loaded, and the new cluster still works", async () => {
    process.env.LOTGRAPH_CACHE_DIR = join(root, "cache-with-a-broken-template");
    await mkdir(clusterTemplate().directory, { recursive: true });
    await writeFile(join(clusterTemplate().directory, "PG_VERSION"), "17\n");
    await writeFile(clusterTemplate().archive, "not a tar archive");

    const dir = freshDir();
    const opened = await open(dir);
    expect(opened.source).toBe("initdb");
    await opened.engine.exec("CREATE TABLE item (name text); INSERT INTO item VALUES ('kept')");
    expect((await opened.engine.query("SELECT name FROM item")).rows).toHaveLength(1);
    expect(existsSync(clusterTemplate().directory)).toBe(false);
    const next = await open(freshDir());
    expect(next.source).toBe("template");
    expect((await readFile(clusterTemplate().archive)).length).toBeGreaterThan(1_000);
  });

  it("leaves a directory holding something other than a cluster to PGlite, not to the template", async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "notes.txt"), "not a cluster");
    const opened = await open(dir);
    expect(opened.source).toBe("initdb");
    expect(await readFile(join(dir, "notes.txt"), "utf8")).toBe("not a cluster");
  });
});
