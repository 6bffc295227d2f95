import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Database, createLogger, type DatabaseTarget } from "@lotgraph/kit";
import { PrismaClient as InventoryPrisma } from "@lotgraph/inventory/prisma";
import { PrismaClient as ProductionPrisma } from "@lotgraph/production/prisma";
import {
  Neo4jGenealogyStore,
  type Neo4jConfig,
  type TraceabilityClient,
  type TraceabilityTx,
} from "@lotgraph/traceability/genealogy";
import { PrismaClient as TraceabilityPrisma } from "@lotgraph/traceability/prisma";
import { rebuildGenealogy } from "@lotgraph/traceability/rebuild";
import type { Progress } from "./backup-format.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const migrations = (subgraph: string) => join(ROOT, "subgraphs", subgraph, "prisma", "migrations");

/**
 * Services mode keeps the genealogy graph in Neo4j (decision 0009), which a backup does not copy:
 * it is a projection of inventory's and production's outboxes, which it does copy. After a
 * restore the graph is rebuilt from them, exactly as `npm run rebuild-genealogy` does, in the
 * Neo4j the restored installation will use; that graph is emptied first.
 */
export async function rebuildRestoredGenealogy(
  databaseUrl: string,
  schemaPrefix: string,
  neo4jConfig: Neo4jConfig,
  progress: Progress,
): Promise<void> {
  const target = (subgraph: string): DatabaseTarget => ({
    kind: "postgres",
    url: databaseUrl,
    schema: `${schemaPrefix}_${subgraph}`,
  });
  const inventory = await Database.open({
    target: target("inventory"),
    migrationsDir: migrations("inventory"),
    createClient: (adapter) => new InventoryPrisma({ adapter }),
  });
  const production = await Database.open({
    target: target("production"),
    migrationsDir: migrations("production"),
    createClient: (adapter) => new ProductionPrisma({ adapter }),
  });
  const traceability = await Database.open<TraceabilityClient, TraceabilityTx>({
    target: target("traceability"),
    migrationsDir: migrations("traceability"),
    createClient: (adapter) => new TraceabilityPrisma({ adapter }),
  });
  const neo4j = await Neo4jGenealogyStore.connect(neo4jConfig);
  try {
    progress("restore: rebuilding the genealogy in Neo4j from inventory's and production's outboxes");
    const report = await rebuildGenealogy(
      traceability,
      [
        { name: "inventory", driver: inventory.driver },
        { name: "production", driver: production.driver },
      ],
      {
        logger: createLogger("warn", "restore"),
        neo4j,
        onProgress: (done) => progress(`  ${done} events`),
        onClear: (deleted) => progress(`  emptying Neo4j: ${deleted} nodes deleted`),
      },
    );
    progress(`restore: genealogy rebuilt from ${report.events} events (${report.parked} parked)`);
  } finally {
    await neo4j.close();
    await traceability.close();
    await production.close();
    await inventory.close();
  }
}
