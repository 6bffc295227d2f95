import { join } from "node:path";
import type { LotgraphEnv } from "../env.ts";
import type { DatabaseTarget } from "./database.ts";

/**
 * Where `subgraph` keeps its data in the current mode: its own PGlite directory (embedded) or
 * its own schema `lotgraph_<subgraph>` in the shared PostgreSQL database (services).
 * `schemaPrefix` lets tests isolate themselves in throwaway schemas.
 */
export function databaseTarget(env: LotgraphEnv, subgraph: string, schemaPrefix = "lotgraph"): DatabaseTarget {
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL, schema: `${schemaPrefix}_${subgraph}` };
  return { kind: "pglite", dataDir: join(env.LOTGRAPH_DATA_DIR, subgraph) };
}
