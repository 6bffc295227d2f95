import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSubgraphYoga, startDataRuntime, type SubgraphApp, type SubgraphDeps } from "@lotgraph/kit";
import { TraceExports } from "./domain/exports/export-service.ts";
import { TraceabilityService } from "./domain/traceability-service.ts";
import { FSMA204_PATH, fsma204Route } from "./fsma204-route.ts";
import { inventoryLotFacts } from "./inventory-facts.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { startGenealogyProjection } from "./projection.ts";
import { resolvers } from "./resolvers/index.ts";
import { SqlGenealogyStore, type TraceabilityClient, type TraceabilityTx } from "./store/sql-genealogy-store.ts";
import { SqlExportFacts } from "./store/sql-export-facts.ts";
import { SqlTraceReads } from "./store/sql-trace-reads.ts";
import { CachedGenealogyStore } from "./store/cached-genealogy-store.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the traceability subgraph, its genealogy store and its consumer; never listens. */
export async function createTraceabilitySubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<TraceabilityClient, TraceabilityTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  // Reads of the embedded SQL genealogy are answered from an in-memory adjacency index kept in
  // step with each committed projection transaction (docs/decisions/0008).
  const genealogy = new CachedGenealogyStore(new SqlGenealogyStore(data.db.client), data.db.driver);
  await genealogy.load();
  const consumer = await startGenealogyProjection(data.db, deps.bus, deps.logger, genealogy);
  const traceability = new TraceabilityService({
    genealogy,
    reads: new SqlTraceReads(data.db.client),
    inventory: inventoryLotFacts(deps),
  });
  const exports = new TraceExports({ genealogy, reads: new SqlExportFacts(data.db.client) });
  const yoga = createSubgraphYoga({
    name: "traceability",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    extendContext: (base) => ({ ...base, traceability, exports, loaders: createLoaders(genealogy) }),
  });
  return {
    name: "traceability",
    handler: yoga,
    readiness: data.readiness,
    sql: data.db.driver,
    routes: { [FSMA204_PATH]: fsma204Route({ exports, tokens: deps.tokens, logger: deps.logger }) },
    async close() {
      await consumer.stop();
      await data.close();
    },
  };
}
