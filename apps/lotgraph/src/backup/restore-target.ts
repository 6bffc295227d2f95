import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import {
  JWT_SECRET_FILE,
  openPGliteCluster,
  pgliteDriver,
  pgSession,
  privateDataDir,
  SHARED_ENGINE_DIRECTORY,
  type LotgraphEnv,
  type SqlDriver,
} from "@lotgraph/kit";
import { BACKED_UP_SUBGRAPHS, BackupRefused, type Progress } from "./backup-format.ts";
import { quoted } from "./identifiers.ts";
import { runningProcessOf } from "./running-marker.ts";

/** Where a restore writes, with one all-or-nothing transaction over every schema. */
export interface RestoreTarget {
  /** Runs `fn` in one transaction; on failure nothing of it remains. */
  inTransaction(fn: (tx: SqlDriver) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * The restore target of the current mode, checked to be fresh first: an embedded data directory
 * without a database (and without a running process), or a services database where none of the
 * target schemas holds a table. `force` replaces what is there instead (never under a running
 * embedded process).
 */
export async function openRestoreTarget(
  env: LotgraphEnv,
  schemaPrefix: string,
  force: boolean,
  progress: Progress,
): Promise<RestoreTarget> {
  const schemas = BACKED_UP_SUBGRAPHS.map((subgraph) => `${schemaPrefix}_${subgraph}`);
  return env.DATABASE_URL
    ? servicesTarget(env.DATABASE_URL, schemas, force, progress)
    : embeddedTarget(env.LOTGRAPH_DATA_DIR, force, progress);
}

async function servicesTarget(
  url: string,
  schemas: string[],
  force: boolean,
  progress: Progress,
): Promise<RestoreTarget> {
  const session = await pgSession(url, "lotgraph-restore");
  try {
    const used = await session.query<{ schema: string }>(
      `SELECT DISTINCT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1::text[]) ORDER BY 1`,
      [schemas],
    );
    if (used.length > 0 && !force) {
      throw new BackupRefused(
        `restore refused: schema(s) ${used.map((u) => u.schema).join(", ")} already hold tables; restore into a fresh database or another --schema-prefix, or pass --force to replace them`,
      );
    }
  } catch (error) {
    await session.close();
    throw error;
  }
  return {
    async inTransaction(fn) {
      await session.exec("BEGIN");
      try {
        for (const schema of schemas) await session.exec(`DROP SCHEMA IF EXISTS ${quoted(schema)} CASCADE`);
        if (force) progress(`restore: replacing schemas ${schemas.join(", ")}`);
        await fn(session);
        await session.exec("COMMIT");
      } catch (error) {
        await session.exec("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    close: () => session.close(),
  };
}

async function embeddedTarget(dataDir: string, force: boolean, progress: Progress): Promise<RestoreTarget> {
  const running = await runningProcessOf(dataDir);
  if (running) {
    throw new BackupRefused(`restore refused: Lotgraph runs on ${dataDir} (pid ${running.pid}); stop it first`);
  }
  const engineDir = join(dataDir, SHARED_ENGINE_DIRECTORY);
  const holdsDatabase =
    existsSync(engineDir) || BACKED_UP_SUBGRAPHS.some((subgraph) => existsSync(join(dataDir, subgraph, "PG_VERSION")));
  if (holdsDatabase && !force) {
    throw new BackupRefused(
      `restore refused: ${dataDir} already holds a Lotgraph database; restore into a fresh LOTGRAPH_DATA_DIR, or pass --force to replace it`,
    );
  }
  // Owner-only from the start, as every start makes it: it will hold password hashes and the
  // evidence-signing key before Lotgraph first runs on it.
  await privateDataDir(dataDir);
  if (holdsDatabase) {
    progress(`restore: replacing the database in ${dataDir}`);
    await rm(engineDir, { recursive: true, force: true });
    for (const subgraph of BACKED_UP_SUBGRAPHS) await rm(join(dataDir, subgraph), { recursive: true, force: true });
    // The tokens of the database replaced must not open the restored one: the next start makes
    // a new secret, and everyone signs in again (as after a restore into a fresh directory).
    await rm(join(dataDir, JWT_SECRET_FILE), { force: true });
  }
  const { engine } = await openPGliteCluster(engineDir);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await engine.close();
  };
  return {
    async inTransaction(fn) {
      try {
        await pgliteDriver(engine).transaction(fn);
      } catch (error) {
        // The engine's directory is new (or was --force'd away): remove it so nothing half-made stays.
        await close();
        await rm(engineDir, { recursive: true, force: true });
        throw error;
      }
    },
    close,
  };
}
