// `npm run rebuild-genealogy`: rebuilds traceability's genealogy projection from the event
// history kept in inventory's and production's outbox tables (DESIGN.md §3: the genealogy is a
// projection). In one transaction it empties the projection and re-applies every event, in
// (occurred_at, seq) order, through the consumer's own code; cycle events are parked again.
// Embedded mode: Lotgraph must be stopped (PGlite data directories are single-process, and a
// second engine on one corrupts it); the script refuses while a process runs on
// LOTGRAPH_DATA_DIR, as backup and restore do (its lotgraph.running.json). Services mode: reads each subgraph's schema in
// DATABASE_URL; stop the traceability service first so that no live event lands mid-rebuild.
// With NEO4J_URI the graph is rebuilt in Neo4j (docs/decisions/0009): the Neo4j genealogy is
// emptied in batches first, then each replayed event's graph is committed there; the facts are
// rebuilt in SQL as above. If it fails, run it again before restarting traceability.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Database, createLogger, databaseTarget, loadEnv } from "@lotgraph/kit";
import { runningProcessOf } from "@lotgraph/lotgraph/backup";
import { PrismaClient as InventoryPrisma } from "@lotgraph/inventory/prisma";
import { PrismaClient as ProductionPrisma } from "@lotgraph/production/prisma";
import {
  Neo4jGenealogyStore,
  loadNeo4jConfig,
  type TraceabilityClient,
  type TraceabilityTx,
} from "@lotgraph/traceability/genealogy";
import { PrismaClient as TraceabilityPrisma } from "@lotgraph/traceability/prisma";
import { rebuildGenealogy } from "@lotgraph/traceability/rebuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const migrations = (subgraph: string) => join(ROOT, "subgraphs", subgraph, "prisma", "migrations");

async function main(): Promise<number> {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL, "rebuild-genealogy");
  const running = env.mode === "embedded" ? await runningProcessOf(env.LOTGRAPH_DATA_DIR) : null;
  if (running) {
    console.error(
      `rebuild-genealogy refused: Lotgraph runs on ${env.LOTGRAPH_DATA_DIR} (pid ${running.pid}, ${running.gatewayUrl}); stop it first (an embedded data directory is one process's).`,
    );
    return 1;
  }
  const inventory = await Database.open({
    target: databaseTarget(env, "inventory"),
    migrationsDir: migrations("inventory"),
    createClient: (adapter) => new InventoryPrisma({ adapter }),
  });
  const production = await Database.open({
    target: databaseTarget(env, "production"),
    migrationsDir: migrations("production"),
    createClient: (adapter) => new ProductionPrisma({ adapter }),
  });
  // Typed explicitly: inference stops at the kit's SqlExecutor, and rebuildGenealogy needs Prisma's transaction client.
  const traceability = await Database.open<TraceabilityClient, TraceabilityTx>({
    target: databaseTarget(env, "traceability"),
    migrationsDir: migrations("traceability"),
    createClient: (adapter) => new TraceabilityPrisma({ adapter }),
  });
  const neo4jConfig = loadNeo4jConfig(process.env);
  const neo4j = neo4jConfig ? await Neo4jGenealogyStore.connect(neo4jConfig) : undefined;
  try {
    console.log(
      `Rebuilding the genealogy${neo4j ? " (graph in Neo4j)" : ""} from inventory's and production's outboxes…`,
    );
    const report = await rebuildGenealogy(
      traceability,
      [
        { name: "inventory", driver: inventory.driver },
        { name: "production", driver: production.driver },
      ],
      {
        logger,
        onProgress: (done, perSecond) => console.log(`  ${done} events (${Math.round(perSecond)} events/s)`),
        ...(neo4j
          ? { neo4j, onClear: (deleted: number) => console.log(`  emptying Neo4j: ${deleted} nodes deleted`) }
          : {}),
      },
    );
    // With Neo4j, genealogy_edge stays empty: count the graph where it lives.
    const [counts] = neo4j
      ? [await neo4j.counts()]
      : await traceability.driver.query<{ lots: string; edges: string }>(
          "SELECT (SELECT count(*) FROM genealogy_lot)::text AS lots, (SELECT count(*) FROM genealogy_edge)::text AS edges",
        );
    console.log(
      `Done: ${report.events} events in ${report.seconds.toFixed(1)} s ` +
        `(${Math.round(report.events / Math.max(report.seconds, 0.001))} events/s); ` +
        `${counts?.lots ?? 0} lots, ${counts?.edges ?? 0} edges; ${report.parked} event(s) parked (see parked_event).`,
    );
    return 0;
  } finally {
    await neo4j?.close();
    await traceability.close();
    await production.close();
    await inventory.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
