import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LotgraphEnv } from "../env.ts";
import type { DatabaseTarget } from "./database.ts";

/** How a process keeps embedded data: subgraphs sharing one engine, or a directory each. */
export type EmbeddedLayout = "shared" | "own-directory";

/**
 * Where `subgraph` keeps its data in the current mode: its own schema `<prefix>_<subgraph>` in
 * the shared PostgreSQL database (services), or the same schema in the one embedded engine under
 * `LOTGRAPH_DATA_DIR/pglite` that every subgraph of the process shares (decision 0015).
 *
 * `own-directory` gives the subgraph an engine of its own in `LOTGRAPH_DATA_DIR/<subgraph>`:
 * for a subgraph running as its own process in embedded mode, which must not open the directory
 * another process has open. A data directory written before 0015 (one engine per subgraph, and no
 * shared one yet) keeps that layout, so its data stays where it is.
 * `schemaPrefix` lets tests isolate themselves in throwaway schemas.
 */
export function databaseTarget(
  env: LotgraphEnv,
  subgraph: string,
  schemaPrefix = "lotgraph",
  layout: EmbeddedLayout = "shared",
): DatabaseTarget {
  const schema = `${schemaPrefix}_${subgraph}`;
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL, schema };
  const ownDirectory = join(env.LOTGRAPH_DATA_DIR, subgraph);
  if (layout === "own-directory" || isPreSharedLayout(env.LOTGRAPH_DATA_DIR, ownDirectory))
    return { kind: "pglite", dataDir: ownDirectory };
  return { kind: "pglite", dataDir: join(env.LOTGRAPH_DATA_DIR, SHARED_ENGINE_DIRECTORY), schema };
}

/** The shared embedded engine's directory under LOTGRAPH_DATA_DIR. */
export const SHARED_ENGINE_DIRECTORY = "pglite";

function isPreSharedLayout(dataDir: string, ownDirectory: string): boolean {
  return !existsSync(join(dataDir, SHARED_ENGINE_DIRECTORY)) && existsSync(join(ownDirectory, "PG_VERSION"));
}
