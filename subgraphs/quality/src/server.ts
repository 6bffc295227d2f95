import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  SubgraphClient,
  createSubgraphYoga,
  startDataRuntime,
  type SubgraphApp,
  type SubgraphDeps,
  type SubgraphName,
} from "@lotgraph/kit";
import type { QualityDeps } from "./domain/common.ts";
import { createQualityServices } from "./domain/quality-services.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { startAutomaticHoldProjection, startLotProjection, startRecallClosureProjection } from "./projection.ts";
import { resolvers } from "./resolvers/index.ts";
import type { QualityClient, QualityTx } from "./store/db.ts";
import { IdentityClient, InventoryClient, ProductionClient } from "./store/peer-clients.ts";
import { startWriteRecovery } from "./write-recovery.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the quality subgraph over its database and starts its consumers; never listens. */
export async function createQualitySubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<QualityClient, QualityTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  const projections = { db: data.db, bus: deps.bus, logger: deps.logger };
  const consumers = [
    await startLotProjection(projections),
    await startAutomaticHoldProjection(projections),
    await startRecallClosureProjection(projections),
  ];
  const peer = (name: SubgraphName) =>
    new SubgraphClient({ caller: "quality", url: () => deps.peerUrl(name), tokens: deps.tokens });
  const domain: QualityDeps = {
    db: data.db,
    inventory: new InventoryClient(peer("inventory")),
    production: new ProductionClient(peer("production")),
    identity: new IdentityClient(peer("identity")),
  };
  const recovery = startWriteRecovery(domain, deps.logger);
  const yoga = createSubgraphYoga({
    name: "quality",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    metrics: deps.metrics,
    audit: data.db.driver,
    extendContext: (base) => {
      const loaders = createLoaders(data.db.client);
      return { ...base, quality: createQualityServices(domain, loaders), loaders };
    },
  });
  return {
    name: "quality",
    handler: yoga,
    readiness: data.readiness,
    sql: data.db.driver,
    async close() {
      await recovery.stop();
      for (const consumer of consumers) await consumer.stop();
      await data.close();
    },
  };
}
