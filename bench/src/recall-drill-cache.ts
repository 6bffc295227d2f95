import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Client } from "pg";
import { startBenchStack, type KeptData, type Mode } from "./bench-stack.ts";
import { seedPlant } from "./recall-drill-seed.ts";

export interface PlantParams {
  lots: number;
  seed: number;
}

/** What a seeded plant's marker says: written last, so a plant without it is half-seeded. */
interface Seeded {
  lots: number;
  seed: number;
  seededAt: string;
  seconds: number;
}

/**
 * The seeded plant of `params` in `mode`, seeding it first (in a child process, so this one's
 * memory holds only what the measured stack uses) when it is not there yet. Embedded: a data
 * directory under the OS temp dir; services: schemas `rdrill_<key>_<subgraph>` in DATABASE_URL.
 * The key covers the parameters and the generator's sources, so a changed generator seeds anew.
 */
export async function seededPlant(mode: Mode, params: PlantParams): Promise<KeptData> {
  const key = plantKey(params);
  const kept: KeptData = {
    dataDir: join(tmpdir(), `lotgraph-bench-recall-drill-${params.lots}-${params.seed}-${key}`),
    schemaPrefix: `rdrill_${key}`,
  };
  const found = await readMarker(mode, kept);
  if (found) {
    console.log(
      `  plant cached (${where(mode, kept)}), seeded ${found.seededAt} in ${found.seconds.toFixed(0)} s; delete it to seed again`,
    );
    return kept;
  }
  if (mode === "embedded") await rm(kept.dataDir, { recursive: true, force: true });
  else await dropSchemas(kept.schemaPrefix);
  console.log(`  seeding the plant (${where(mode, kept)}) in a child process…`);
  const started = performance.now();
  await new Promise<void>((done, failed) => {
    const child = fork(import.meta.filename, [JSON.stringify({ mode, kept, params })], { stdio: "inherit" });
    child.on("error", failed);
    child.on("exit", (code) => (code === 0 ? done() : failed(new Error(`seeding exited with ${code}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  await writeMarker(mode, kept, { ...params, seededAt: new Date().toISOString(), seconds });
  console.log(`  plant seeded in ${seconds.toFixed(0)} s (start, SQL load, index builds, stop)`);
  return kept;
}

function plantKey(params: PlantParams): string {
  const hash = createHash("sha256").update(`${params.lots}:${params.seed}`);
  for (const file of ["recall-drill-plant.ts", "recall-drill-seed.ts", "recall-drill-sql.ts"])
    hash.update(readFileSync(join(import.meta.dirname, file)));
  return hash.digest("hex").slice(0, 10);
}

const where = (mode: Mode, kept: KeptData) =>
  mode === "embedded" ? kept.dataDir : `schemas ${kept.schemaPrefix}_* of DATABASE_URL`;

const MARKER_FILE = "recall-drill-plant.json";

async function readMarker(mode: Mode, kept: KeptData): Promise<Seeded | null> {
  if (mode === "embedded") {
    const file = join(kept.dataDir, MARKER_FILE);
    return existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as Seeded) : null;
  }
  return withPg(async (pg) => {
    const { rows } = await pg
      .query<{ marker: Seeded }>(
        `SELECT marker FROM "${kept.schemaPrefix}_plant".seeded WHERE to_regclass('"${kept.schemaPrefix}_plant".seeded') IS NOT NULL`,
      )
      .catch(() => ({ rows: [] as Array<{ marker: Seeded }> }));
    return rows[0]?.marker ?? null;
  });
}

async function writeMarker(mode: Mode, kept: KeptData, marker: Seeded): Promise<void> {
  if (mode === "embedded") {
    await writeFile(join(kept.dataDir, MARKER_FILE), JSON.stringify(marker, null, 2));
    return;
  }
  await withPg(async (pg) => {
    await pg.query(`CREATE SCHEMA "${kept.schemaPrefix}_plant"`);
    await pg.query(`CREATE TABLE "${kept.schemaPrefix}_plant".seeded (marker jsonb NOT NULL)`);
    await pg.query(`INSERT INTO "${kept.schemaPrefix}_plant".seeded VALUES ($1)`, [JSON.stringify(marker)]);
  });
}

async function dropSchemas(prefix: string): Promise<void> {
  await withPg(async (pg) => {
    const { rows } = await pg.query<{ name: string }>(
      "SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1",
      [`${prefix}\\_%`],
    );
    for (const { name } of rows) await pg.query(`DROP SCHEMA "${name}" CASCADE`);
  });
}

async function withPg<T>(work: (pg: Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The child: start Lotgraph on the kept data (migrations run), write the plant, stop. */
async function seedInThisProcess(job: { mode: Mode; kept: KeptData; params: PlantParams }): Promise<void> {
  const started = performance.now();
  const stack = await startBenchStack(job.mode, {}, job.kept);
  console.log(`  Lotgraph up on empty data in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    await seedPlant(stack.lotgraph.databases, job.params, (line) => console.log(line));
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  await seedInThisProcess(JSON.parse(process.argv[2] ?? "{}") as Parameters<typeof seedInThisProcess>[0]);
}
