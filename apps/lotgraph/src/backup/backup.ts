import { existsSync } from "node:fs";
import { join } from "node:path";
import { openPGliteCluster, resolveJwtSecret, SHARED_ENGINE_DIRECTORY, type LotgraphEnv } from "@lotgraph/kit";
import {
  BACKED_UP_SUBGRAPHS,
  BackupRefused,
  type BackupManifest,
  type Progress,
  type SnapshotChunk,
} from "./backup-format.ts";
import { writeBackup } from "./backup-writer.ts";
import { schemasOf, takeEmbeddedSnapshot } from "./embedded-snapshot.ts";
import { remoteSnapshot } from "./remote-snapshot.ts";
import { runningProcessOf } from "./running-marker.ts";
import { servicesSnapshot } from "./services-snapshot.ts";

export interface BackupOptions {
  env: LotgraphEnv;
  /** Where the backup goes: a new or empty directory. */
  dir: string;
  /** The schemas read are `<prefix>_<subgraph>`; `lotgraph` unless a test isolated itself. */
  schemaPrefix?: string;
  progress?: Progress;
}

/**
 * `npm run backup`: one consistent snapshot of every subgraph, written to `dir` with its manifest.
 * Services mode reads PostgreSQL directly; embedded mode asks the running process for it, or
 * opens the data directory itself when nothing runs on it.
 */
export async function backup(options: BackupOptions): Promise<BackupManifest> {
  const { env, dir } = options;
  const progress = options.progress ?? (() => undefined);
  const chunks = await snapshotSource(env, options.schemaPrefix ?? "lotgraph", progress);
  const manifest = await writeBackup(dir, env.mode, chunks, progress);
  const tables = Object.values(manifest.subgraphs).flatMap((s) => s.tables);
  progress(`backup: ${tables.length} tables, ${tables.reduce((n, t) => n + t.rows, 0)} rows written to ${dir}`);
  return manifest;
}

async function snapshotSource(
  env: LotgraphEnv,
  prefix: string,
  progress: Progress,
): Promise<AsyncIterable<SnapshotChunk>> {
  if (env.DATABASE_URL) {
    progress("backup: reading PostgreSQL in one REPEATABLE READ snapshot");
    return servicesSnapshot(env.DATABASE_URL, schemasOf(BACKED_UP_SUBGRAPHS, prefix));
  }
  const running = await runningProcessOf(env.LOTGRAPH_DATA_DIR);
  if (running) {
    progress(`backup: Lotgraph runs on ${env.LOTGRAPH_DATA_DIR} (pid ${running.pid}); asking it for a snapshot`);
    return remoteSnapshot(running, await resolveJwtSecret(env));
  }
  const engineDir = join(env.LOTGRAPH_DATA_DIR, SHARED_ENGINE_DIRECTORY);
  if (!existsSync(join(engineDir, "PG_VERSION"))) {
    throw new BackupRefused(
      `backup refused: ${env.LOTGRAPH_DATA_DIR} holds no embedded Lotgraph database (no ${engineDir})`,
    );
  }
  progress(`backup: nothing runs on ${env.LOTGRAPH_DATA_DIR}; reading it directly`);
  const { engine } = await openPGliteCluster(engineDir);
  try {
    return toAsync(await takeEmbeddedSnapshot(engine, schemasOf(BACKED_UP_SUBGRAPHS, prefix)));
  } finally {
    await engine.close();
  }
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
