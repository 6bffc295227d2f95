import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { BatchedPGlite } from "./batched-pglite.ts";

/**
 * Opening an embedded PostgreSQL, with the cost of `initdb` paid once per machine.
 *
 * PGlite 0.4 creates a cluster by starting a second engine, running `initdb` in it, dumping the
 * result as a tar and loading that into the first: several seconds of CPU and ~400 MiB of
 * WebAssembly memory that stays resident, on every first start and for every in-memory test
 * database. A new cluster is the same bytes every time for one PGlite version, so the first one
 * made on a machine is kept, shut down cleanly, as a directory, and copied for every later
 * cluster on disk (a file copy, then the same start as a restart), and as a tar for clusters in
 * memory (PGlite's own `loadDataDir`, the path its `clone()` takes). Decision 0017.
 *
 * The template holds nothing but `initdb`'s output: it is made before any schema, table or row
 * is written. It is keyed by PGlite's version because a data directory belongs to the engine that
 * wrote it; another version makes and keeps its own.
 */

/** How a cluster was opened; tests and start-up logs read it. */
export type ClusterSource = "existing" | "template" | "initdb";

export interface OpenedCluster {
  engine: BatchedPGlite;
  source: ClusterSource;
}

/**
 * An engine on `dataDir` (in memory when undefined): the cluster already there, else a copy of
 * the machine's template (made first if the machine has none), else a new `initdb`.
 */
export async function openPGliteCluster(dataDir?: string): Promise<OpenedCluster> {
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    if (isCluster(dataDir)) return { engine: await started({ dataDir }), source: "existing" };
    // Something other than a cluster is in the directory: leave it to PGlite, exactly as before.
    if ((await readdir(dataDir)).length > 0) return { engine: await started({ dataDir }), source: "initdb" };
  }
  const template = await ensureTemplate();
  if (template) {
    const copy = await copyOf(template, dataDir);
    if (copy) return { engine: copy, source: "template" };
  }
  return { engine: await started({ dataDir }), source: "initdb" };
}

interface Template {
  directory: string;
  archive: string;
}

/** Where this machine keeps the template for the installed PGlite. */
export function clusterTemplate(): Template {
  const base = join(cacheDirectory(), `pglite-${pgliteVersion()}-cluster`);
  return { directory: base, archive: `${base}.tar.gz` };
}

/** LOTGRAPH_CACHE_DIR, else the XDG cache directory, as other tools on the machine use. */
function cacheDirectory(): string {
  if (process.env.LOTGRAPH_CACHE_DIR) return process.env.LOTGRAPH_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "lotgraph");
}

let version: string | undefined;
function pgliteVersion(): string {
  if (version) return version;
  // The package's `exports` hide its package.json; its entry point sits in dist/, one level down.
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const manifest = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as { version: string };
  version = manifest.version;
  return version;
}

const isCluster = (directory: string) => existsSync(join(directory, "PG_VERSION"));

/** Templates being made by this process: its concurrent first opens wait for one `initdb`. */
const making = new Map<string, Promise<boolean>>();

/** The template, made now if the machine has none; null if it cannot be made (read-only home). */
async function ensureTemplate(): Promise<Template | null> {
  const template = clusterTemplate();
  if (isCluster(template.directory) && existsSync(template.archive)) return template;
  let made = making.get(template.directory);
  if (!made) {
    made = makeTemplate(template).finally(() => making.delete(template.directory));
    making.set(template.directory, made);
  }
  return (await made) ? template : null;
}

/**
 * Runs `initdb` in a directory of this process's own, dumps it as the archive, shuts it down and
 * renames it into place: the archive first, then the directory, whose presence says both are
 * whole. Concurrent first starts each make one; the first rename wins and the rest are dropped.
 */
async function makeTemplate(template: Template): Promise<boolean> {
  const partial = `${template.directory}.${process.pid}.${Date.now()}.partial`;
  try {
    await mkdir(dirname(partial), { recursive: true });
    const engine = await started({ dataDir: partial });
    const archive = await engine.dumpDataDir("gzip");
    await engine.close();
    await writeFile(`${partial}.tar.gz`, new Uint8Array(await archive.arrayBuffer()));
    await rename(`${partial}.tar.gz`, template.archive);
    await rename(partial, template.directory).catch(() => undefined);
  } catch {
    // A read-only home or a full disk: this start runs initdb in place, as without a template.
  } finally {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    await rm(`${partial}.tar.gz`, { force: true }).catch(() => undefined);
  }
  return isCluster(template.directory) && existsSync(template.archive);
}

/**
 * A new cluster from the template, or null when the copy does not start (a template damaged on
 * disk): the template is then removed, the half-made directory emptied, and the caller runs
 * `initdb`; the next start makes a new template.
 */
async function copyOf(template: Template, dataDir: string | undefined): Promise<BatchedPGlite | null> {
  try {
    if (!dataDir) return await started({ loadDataDir: await archiveOf(template) });
    // Copied beside it and renamed into place: a start killed mid-copy must not leave a
    // directory holding PG_VERSION and half a cluster, which the next start would open.
    const partial = `${dataDir}.${process.pid}.partial`;
    await removeKilledCopies(dataDir);
    await cp(template.directory, partial, { recursive: true });
    await rmdir(dataDir);
    await rename(partial, dataDir);
    return await started({ dataDir });
  } catch {
    archives.delete(template.archive);
    await rm(template.directory, { recursive: true, force: true });
    await rm(template.archive, { force: true });
    if (dataDir) {
      await rm(`${dataDir}.${process.pid}.partial`, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir, { recursive: true });
    }
    return null;
  }
}

/** What copies killed before their rename left beside `dataDir` (~40 MB each). */
async function removeKilledCopies(dataDir: string): Promise<void> {
  const name = basename(dataDir);
  const siblings = await readdir(dirname(dataDir));
  const killed = siblings.filter((sibling) => sibling.startsWith(`${name}.`) && sibling.endsWith(".partial"));
  await Promise.all(killed.map((sibling) => rm(join(dirname(dataDir), sibling), { recursive: true, force: true })));
}

/** Read once per process: a test process opens hundreds of in-memory databases. */
const archives = new Map<string, Promise<Blob>>();
function archiveOf(template: Template): Promise<Blob> {
  let archive = archives.get(template.archive);
  if (!archive) {
    archive = readFile(template.archive).then((bytes) => new Blob([new Uint8Array(bytes)]));
    archive.catch(() => archives.delete(template.archive));
    archives.set(template.archive, archive);
  }
  return archive;
}

/**
 * `initdb` sizes shared buffers for a server (128 MB). PGlite reads and writes its files through
 * the host, whose page cache keeps what the buffers do not, so 32 MB serves an embedded plant as
 * well; the engine starts ~0.4 s sooner and stays ~100 MiB smaller (measured in decision 0017).
 */
const START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

async function started(options: { dataDir?: string; loadDataDir?: Blob }): Promise<BatchedPGlite> {
  const engine = new BatchedPGlite({ ...options, startParams: START_PARAMS });
  try {
    await engine.waitReady;
    return engine;
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
}
