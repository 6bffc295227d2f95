import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSubgraphYoga, startDataRuntime, type SubgraphApp, type SubgraphDeps } from "@lotgraph/kit";
import { ImportRunner } from "./domain/imports/import-runner.ts";
import { ImportService } from "./domain/imports/import-service.ts";
import { InventoryService } from "./domain/inventory-service.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import type { InventoryClient, InventoryTx } from "./store/inventory-store.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the inventory subgraph over its database; never listens (see index.ts). */
export async function createInventorySubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<InventoryClient, InventoryTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  // Bulk imports run in the background of this replica (and resume what a stopped one left).
  const importRunner = new ImportRunner(data.db, deps.logger);
  const yoga = createSubgraphYoga({
    name: "inventory",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    metrics: deps.metrics,
    audit: data.db.driver,
    extendContext: (base) => {
      const loaders = createLoaders(data.db.client);
      const imports = new ImportService(data.db, importRunner);
      return { ...base, inventory: new InventoryService(data.db, loaders), loaders, imports };
    },
  });
  importRunner.start();
  const close = async () => {
    await importRunner.close();
    await data.close();
  };
  return { name: "inventory", handler: yoga, readiness: data.readiness, sql: data.db.driver, close };
}
