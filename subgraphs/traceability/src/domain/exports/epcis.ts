import type { TraceFacts } from "./facts.ts";
import { FactsIndex } from "./facts-index.ts";
import { EpcisIdentifiers } from "./identifiers.ts";
import { buildMasterData } from "./epcis-master-data.ts";
import { aggregationEvents, receiptEvents, shipmentEvents, transformationEvents } from "./epcis-events.ts";
import { EPCIS_CONTEXT, type EpcisDocument, type EpcisEvent } from "./epcis-types.ts";

export interface EpcisOptions {
  /** The document's `creationDate`; passed in so a build is a pure function of its inputs. */
  creationDate: Date;
  /** Base of our non-GS1 HTTP identifiers (see identifiers.ts). */
  identifierBase?: string;
}

export const DEFAULT_IDENTIFIER_BASE = "https://id.lotgraph.local";

/**
 * A GS1 EPCIS 2.0 JSON-LD document for one trace: an ObjectEvent (ADD, receiving) per receipt, a
 * TransformationEvent per production run, an ObjectEvent (OBSERVE, shipping) per shipment and an
 * AggregationEvent per serial installation or removal, ordered by event time. Deterministic: the
 * same facts and options give the same JSON, event ids included.
 *
 * @throws InconsistentTraceFactsError when an event names a lot missing from `facts.lots`.
 */
export function buildEpcisDocument(facts: TraceFacts, options: EpcisOptions): EpcisDocument {
  const ids = new EpcisIdentifiers(options.identifierBase ?? DEFAULT_IDENTIFIER_BASE);
  const index = new FactsIndex(facts);
  const context = { ids, index };
  // Receipts, runs, shipments, installations: the order that reads naturally when times tie.
  const events: SortableEvent[] = [
    ...receiptEvents(facts.receipts, context).map((event) => ({ order: 0, event })),
    ...transformationEvents(facts.transformations, context).map((event) => ({ order: 1, event })),
    ...shipmentEvents(facts.shipments, context).map((event) => ({ order: 2, event })),
    ...aggregationEvents(facts.aggregations, context).map((event) => ({ order: 3, event })),
  ];
  events.sort(
    (a, b) =>
      Date.parse(a.event.eventTime) - Date.parse(b.event.eventTime) ||
      a.order - b.order ||
      compare(a.event.eventID, b.event.eventID),
  );

  const masterData = buildMasterData(ids, index);
  return {
    "@context": [EPCIS_CONTEXT, { lotgraph: ids.vocabulary() }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: options.creationDate.toISOString(),
    ...(masterData.length === 0 ? {} : { epcisHeader: { epcisMasterData: { vocabularyList: masterData } } }),
    epcisBody: { eventList: events.map((e) => e.event) },
  };
}

interface SortableEvent {
  /** Receipts, runs, shipments, installations: the order that reads naturally when times tie. */
  order: number;
  event: EpcisEvent;
}

/** Code-point order, so the result does not depend on the host's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
