import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createSubgraphYoga,
  startDataRuntime,
  type Consumption,
  type DataRuntime,
  type SubgraphApp,
  type SubgraphDeps,
} from "@lotgraph/kit";
import { auditSources } from "./audit-sources.ts";
import { changeSources } from "./change-sources.ts";
import { ChangeFeed } from "./domain/changes/change-feed.ts";
import { WebhookService } from "./domain/webhooks/webhook-service.ts";
import { WebhookDispatcher } from "./webhooks/webhook-dispatcher.ts";
import { startWebhookFanout } from "./webhooks/webhook-fanout.ts";
import { AuditTrailService } from "./domain/audit/audit-trail.ts";
import { TraceExports } from "./domain/exports/export-service.ts";
import { TraceabilityService } from "./domain/traceability-service.ts";
import { ExposureService } from "./domain/exposure/index.ts";
import { AUDIT_CSV_PATH, FSMA204_PATH, auditCsvRoute, fsma204Route } from "./export-routes.ts";
import { createEvidenceBundles } from "./evidence-bundles.ts";
import { evidenceRoutes } from "./evidence-routes.ts";
import { inventoryLotFacts } from "./inventory-facts.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { startGenealogyProjection } from "./projection/projection.ts";
import { startRecallCases } from "./recall-cases.ts";
import { recallReportRoutes } from "./recall-report-routes.ts";
import { resolvers } from "./resolvers/index.ts";
import { SqlGenealogyStore } from "./genealogy/sql/sql-genealogy-store.ts";
import type { TraceabilityClient, TraceabilityTx } from "./database.ts";
import { SqlExportFacts } from "./facts/sql-export-facts.ts";
import { SqlFsma204Reads } from "./facts/sql-fsma204-reads.ts";
import { SqlTraceReads } from "./facts/sql-trace-reads.ts";
import { SqlExposureReads } from "./facts/sql-exposure-reads.ts";
import { CachedGenealogyStore } from "./genealogy/memory/cached-genealogy-store.ts";
import type { GenealogyStore } from "./genealogy/port/genealogy-store.ts";
import { loadNeo4jConfig } from "./genealogy/neo4j/neo4j-config.ts";
import { Neo4jGenealogyStore } from "./genealogy/neo4j/neo4j-genealogy-store.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the traceability subgraph, its genealogy store and its consumer; never listens. */
export async function createTraceabilitySubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<TraceabilityClient, TraceabilityTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  const { genealogy, neo4j, consumer } = await startGenealogy(deps, data).catch(async (error: unknown) => {
    await data.close();
    throw error;
  });
  const { traceability, exposure, recalls, stopRecalls } = createGenealogyServices(deps, data, genealogy);
  const exports = createTraceExports(genealogy, data.db.client);
  const audit = new AuditTrailService(auditSources(deps, data.db.driver));
  const changes = new ChangeFeed(changeSources(deps, data.db.driver));
  const { webhooks, stopWebhooks } = await startWebhooks(deps, data).catch(async (error: unknown) => {
    await stopRecalls();
    await consumer.stop();
    await neo4j?.close();
    await data.close();
    throw error;
  });
  const yoga = createSubgraphYoga({
    name: "traceability",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    metrics: deps.metrics,
    audit: data.db.driver,
    extendContext: (base) => ({
      ...base,
      traceability,
      exposure,
      exports,
      audit,
      changes,
      webhooks,
      recalls,
      loaders: createLoaders(genealogy),
    }),
  });
  return {
    name: "traceability",
    handler: yoga,
    readiness: neo4j ? { ...data.readiness, neo4j: () => neo4j.ready() } : data.readiness,
    sql: data.db.driver,
    routes: {
      [FSMA204_PATH]: fsma204Route({ exports, tokens: deps.tokens, logger: deps.logger }),
      [AUDIT_CSV_PATH]: auditCsvRoute({ audit, tokens: deps.tokens, logger: deps.logger }),
      ...recallReportRoutes(deps, { recalls, db: data.db.client }),
      ...evidenceRoutes(createEvidenceBundles(deps, data, genealogy), deps),
    },
    async close() {
      await stopRecalls();
      await stopWebhooks();
      await consumer.stop();
      // After the consumer: no event may be mid-way through its Neo4j transaction.
      await neo4j?.close();
      await data.close();
    },
  };
}

/** The services that read the genealogy: trace and recall, exposure, and recall cases. */
function createGenealogyServices(
  deps: SubgraphDeps,
  data: DataRuntime<TraceabilityClient, TraceabilityTx>,
  genealogy: GenealogyStore,
) {
  const reads = new SqlTraceReads(data.db.client);
  const inventory = inventoryLotFacts(deps);
  const exposureReads = new SqlExposureReads(data.db.client, genealogy);
  const { recalls, stop } = startRecallCases(deps, data, { genealogy, reads, inventory, exposureReads });
  return {
    traceability: new TraceabilityService({ genealogy, reads, inventory }),
    exposure: new ExposureService({ genealogy, reads: exposureReads }),
    recalls,
    stopRecalls: stop,
  };
}

/** The standard exports (EPCIS, FSMA 204), reading traceability's projection. */
function createTraceExports(genealogy: GenealogyStore, db: TraceabilityClient): TraceExports {
  return new TraceExports({ genealogy, reads: new SqlExportFacts(db), fsma204: new SqlFsma204Reads(db) });
}

/**
 * Webhooks: the service that manages them, the consumer that records a delivery per matching
 * event, and the dispatcher that sends them (in this process; any replica may, see the dispatcher).
 */
async function startWebhooks(
  deps: SubgraphDeps,
  data: DataRuntime<TraceabilityClient, TraceabilityTx>,
): Promise<{ webhooks: WebhookService; stopWebhooks: () => Promise<void> }> {
  const dispatcher = new WebhookDispatcher(
    data.db.driver,
    {
      maxAttempts: deps.env.LOTGRAPH_WEBHOOK_MAX_ATTEMPTS,
      baseDelayMs: deps.env.LOTGRAPH_WEBHOOK_RETRY_BASE_MS,
      timeoutMs: deps.env.LOTGRAPH_WEBHOOK_TIMEOUT_MS,
      allowLoopback: deps.env.LOTGRAPH_WEBHOOK_ALLOW_LOOPBACK,
    },
    deps.logger.child({ component: "webhooks" }),
  );
  const fanout = await startWebhookFanout(data.db, deps.bus, deps.logger, () => dispatcher.wake());
  dispatcher.start();
  const webhooks = new WebhookService(data.db, data.db.client, () => dispatcher.wake());
  return {
    webhooks,
    async stopWebhooks() {
      await fanout.stop();
      await dispatcher.stop();
    },
  };
}

/**
 * The genealogy store and its consumer. With `NEO4J_URI` (services mode, DESIGN.md §2) the graph
 * lives in Neo4j and the facts stay in SQL (docs/decisions/0009); otherwise the SQL store, whose
 * reads are answered from an in-memory adjacency index kept in step with each committed
 * projection transaction (docs/decisions/0008).
 */
async function startGenealogy(
  deps: SubgraphDeps,
  data: DataRuntime<TraceabilityClient, TraceabilityTx>,
): Promise<{ genealogy: GenealogyStore; neo4j: Neo4jGenealogyStore | null; consumer: Consumption }> {
  const config = loadNeo4jConfig({
    NEO4J_URI: deps.env.NEO4J_URI,
    NEO4J_USER: deps.env.NEO4J_USER,
    NEO4J_PASSWORD: deps.env.NEO4J_PASSWORD,
    NEO4J_DATABASE: deps.env.NEO4J_DATABASE,
  });
  if (config) {
    // Fails the start when Neo4j is unreachable: constraints must exist before the first MERGE,
    // and the supervisor (compose, Kubernetes) restarts the service until Neo4j answers.
    const neo4j = await Neo4jGenealogyStore.connect(config, {
      warn: (context, message) => deps.logger.warn(context, message),
    });
    try {
      const consumer = await startGenealogyProjection(data.db, deps.bus, deps.logger, { neo4j });
      return { genealogy: neo4j, neo4j, consumer };
    } catch (error) {
      await neo4j.close();
      throw error;
    }
  }
  const cache = new CachedGenealogyStore(new SqlGenealogyStore(data.db.client), data.db.driver);
  await cache.load();
  const consumer = await startGenealogyProjection(data.db, deps.bus, deps.logger, { cache });
  return { genealogy: cache, neo4j: null, consumer };
}
