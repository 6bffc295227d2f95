import type { BusMessage, Database, Logger, SqlDriver } from "@lotgraph/kit";
import { GENEALOGY_CONSUMER, applyOrPark, type ProjectionGraph } from "./projection.ts";
import { GENEALOGY_SUBJECTS } from "./projection-events.ts";
import type { Neo4jGenealogyStore } from "../genealogy/neo4j/neo4j-genealogy-store.ts";
import type { TraceabilityClient, TraceabilityTx } from "../database.ts";

/** Every table the projection writes; the kit's tables are left alone but for the consumer's rows. */
export const PROJECTION_TABLES = [
  "genealogy_edge",
  "genealogy_lot",
  "run_input",
  "run_output_lot",
  "run_consumption",
  "run_output_record",
  "shipment_fact",
  "shipment_lot",
  "serial_fact",
  "installation",
  "run_fact",
  "material_fact",
  "location_fact",
  "party_fact",
  "line_fact",
  "parked_event",
] as const;

/** A subgraph's outbox (it keeps every event it ever wrote), read through its raw driver. */
export interface OutboxSource {
  name: string;
  driver: SqlDriver;
}

export interface RebuildReport {
  events: number;
  parked: number;
  seconds: number;
}

interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  entity_type: string;
  entity_id: string;
  payload: Record<string, unknown>;
  occurred_at: string;
}

const PAGE = 2000;

/**
 * Rebuilds the genealogy projection from the event history: in ONE transaction, empties the
 * projection's tables and the consumer's `processed_event` rows, then re-applies every event of
 * the sources in (occurred_at, seq) order through the consumer's own code (`applyOrPark`),
 * marking each processed. Readers see the old graph until the new one commits.
 *
 * With `neo4j` (services mode, docs/decisions/0009) the graph is rebuilt there: it is emptied
 * first (in batches), then each event's graph is committed to Neo4j as the live consumer does,
 * before the SQL transaction commits. Neither is atomic with the other: readers see the graph
 * empty and refill, and when the rebuild fails Neo4j holds a partial graph while SQL still says
 * every old event was processed. The error says so: run the rebuild again before restarting
 * traceability (it starts by emptying the graph, so a rerun converges).
 */
export async function rebuildGenealogy(
  db: Database<TraceabilityClient, TraceabilityTx>,
  sources: readonly OutboxSource[],
  options: {
    logger: Logger;
    onProgress?: (done: number, perSecond: number) => void;
    progressEvery?: number;
    /** Services mode: the genealogy graph lives in Neo4j. */
    neo4j?: Neo4jGenealogyStore;
    /** Called as the Neo4j graph is emptied, with the nodes deleted so far. */
    onClear?: (deleted: number) => void;
  },
): Promise<RebuildReport> {
  const started = performance.now();
  const every = options.progressEvery ?? 5000;
  const { neo4j } = options;
  const graph: ProjectionGraph = neo4j ? { kind: "neo4j", store: neo4j } : { kind: "sql" };
  const replay = async () => {
    // Embedded mode runs every subgraph's schema on one engine (docs/decisions/0015), which serves
    // a transaction's statements and nothing else until it ends: the outboxes, read from inside
    // the transaction, would wait for it forever. There the history is read first (embedded
    // installations are small); PostgreSQL streams it page by page inside the transaction.
    const history = db.target.kind === "pglite" ? await readAll(mergedHistory(sources)) : mergedHistory(sources);
    return db.client.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`TRUNCATE ${PROJECTION_TABLES.join(", ")}`);
        await tx.$executeRawUnsafe("DELETE FROM processed_event WHERE consumer = $1", GENEALOGY_CONSUMER);
        let events = 0;
        let parked = 0;
        for await (const message of history) {
          await tx.$executeRawUnsafe(
            "INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING",
            GENEALOGY_CONSUMER,
            message.id,
          );
          if (!(await applyOrPark(tx, message, options.logger, graph))) parked++;
          events++;
          if (events % every === 0) options.onProgress?.(events, events / ((performance.now() - started) / 1000));
        }
        return { events, parked, seconds: (performance.now() - started) / 1000 };
      },
      // A rebuild of a long history takes minutes, far past the default interactive-transaction timeout.
      { maxWait: 10_000, timeout: 24 * 3600 * 1000 },
    );
  };
  if (!neo4j) return replay();
  try {
    await neo4j.clear(options.onClear);
    return await replay();
  } catch (error) {
    throw new Error(
      "rebuild-genealogy failed part-way: the Neo4j genealogy is incomplete while SQL still marks the " +
        "old events processed. Run rebuild-genealogy again before starting traceability.",
      { cause: error },
    );
  }
}

async function readAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The sources' genealogy events merged by (occurred_at, source order, seq), read page by page. */
async function* mergedHistory(sources: readonly OutboxSource[]): AsyncGenerator<BusMessage> {
  const streams = sources.map((s) => readOutbox(s.driver)[Symbol.asyncIterator]());
  const heads = await Promise.all(streams.map((s) => s.next()));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (!head || head.done) continue;
      const current = best >= 0 ? heads[best] : undefined;
      if (!current || current.done || head.value.occurredAt < current.value.occurredAt) best = i;
    }
    const chosen = best >= 0 ? heads[best] : undefined;
    if (!chosen || chosen.done) return;
    yield chosen.value;
    heads[best] = await streams[best]!.next();
  }
}

async function* readOutbox(driver: SqlDriver): AsyncGenerator<BusMessage> {
  let after: { at: string; seq: string } | null = null;
  for (;;) {
    const rows: OutboxRow[] = await driver.query<OutboxRow>(
      `SELECT seq::text AS seq, id::text AS id, subject, entity_type, entity_id, payload,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at
         FROM outbox
        WHERE subject = ANY($1::text[])
          AND ($2::timestamptz IS NULL OR (occurred_at, seq) > ($2::timestamptz, $3::bigint))
        ORDER BY occurred_at, seq LIMIT $4`,
      [[...GENEALOGY_SUBJECTS], after?.at ?? null, after?.seq ?? null, PAGE],
    );
    for (const row of rows) {
      yield {
        id: row.id,
        subject: row.subject,
        entityType: row.entity_type,
        entityId: row.entity_id,
        payload: row.payload,
        occurredAt: row.occurred_at,
      };
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = { at: last.occurred_at, seq: last.seq };
  }
}
