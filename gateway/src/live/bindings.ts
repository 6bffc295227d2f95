import { SUBJECTS, type BusMessage, type Role, type Subject } from "@lotgraph/kit";

/**
 * What the live layer knows about one event: the entity a subscriber's selection is run on, and
 * the attributes subscription arguments filter on. An attribute the event does not carry is
 * `undefined` (looked up only if some subscriber filters on it); `null` means "has none".
 */
export interface LiveEventKey {
  entityId: string;
  attributes: Record<string, string | null | undefined>;
}

/** One `Subscription` field of gateway/live.graphql, bound to bus subjects. */
export interface LiveBinding {
  readonly field: string;
  /** The root Query field that loads the entity by id: the subscriber's selection runs on it. */
  readonly queryField: string;
  /** Subjects (without the deployment namespace, as in the kit's catalog) that feed the field. */
  readonly subjects: readonly Subject[];
  /** The entity and filter attributes of a message, or null when it does not concern the field. */
  keyOf(message: BusMessage): LiveEventKey | null;
  /** Each filtering argument of the field, and the attribute it must equal. */
  readonly filters: Readonly<Record<string, string>>;
  /** Roles allowed to open the field (any role implying one of them). */
  readonly roles: readonly Role[];
  /**
   * How to find filter attributes an event does not carry (a decision does not name the lot's
   * material): a federated query on `$id`, and how to read the attributes from its data. The
   * attributes never change for an entity (a lot keeps its material, a run its line).
   */
  readonly lookup?: { query: string; read(data: Record<string, unknown>): Record<string, string | null> };
}

const inventory = SUBJECTS.inventory;
const production = SUBJECTS.production;
const quality = SUBJECTS.quality;

/** Every role reads operational data (each implies VIEWER); a token with no role reads nothing. */
const READERS: readonly Role[] = ["VIEWER"];

function text(payload: Record<string, unknown>, name: string): string | null | undefined {
  const value = payload[name];
  if (value === null) return null;
  return typeof value === "string" ? value : undefined;
}

/** The lot a lot event or a decision is about, with its material when the event says. */
function lotKey(message: BusMessage): LiveEventKey | null {
  const lotId = message.entityType === "Lot" ? message.entityId : text(message.payload, "lotId");
  if (!lotId) return null;
  return { entityId: lotId, attributes: { materialId: text(message.payload, "materialId") } };
}

/** The run a run event, a consumption, an output or a decision is about, with its line. */
function runKey(message: BusMessage): LiveEventKey | null {
  const runId = text(message.payload, "runId");
  if (!runId) return null;
  return { entityId: runId, attributes: { lineId: text(message.payload, "lineId") } };
}

export const LIVE_BINDINGS: readonly LiveBinding[] = [
  {
    field: "lotChanged",
    queryField: "lot",
    subjects: [
      inventory.lotReceived,
      inventory.lotMoved,
      inventory.lotAdjusted,
      inventory.lotScrapped,
      inventory.lotConsumed,
      inventory.lotProduced,
      inventory.lotShipped,
      inventory.lotHeld,
      inventory.lotReleased,
      inventory.lotReleaseChanged,
      // Quality's own records of a lot: a decision changes its qualityStatus and decisions; a
      // hold is recorded in quality just after inventory's lot.held (which announced the status),
      // so Lot.holds is complete only from quality's event on.
      quality.decisionRecorded,
      quality.holdPlaced,
      quality.holdReleased,
    ],
    keyOf: lotKey,
    filters: { lotId: "entityId", materialId: "materialId" },
    roles: READERS,
    lookup: {
      query: "query LiveLotAttributes($id: ID!) { lot(id: $id) { material { id } } }",
      read: (data) => ({ materialId: idAt(data, "lot", "material") }),
    },
  },
  {
    field: "runChanged",
    queryField: "run",
    subjects: [
      production.runStarted,
      production.runPhaseAdvanced,
      production.runCompleted,
      production.runCancelled,
      production.consumptionRecorded,
      production.outputRecorded,
      quality.decisionRecorded,
    ],
    keyOf: runKey,
    filters: { runId: "entityId", lineId: "lineId" },
    roles: READERS,
    lookup: {
      query: "query LiveRunAttributes($id: ID!) { run(id: $id) { workOrder { line { id } } } }",
      read: (data) => ({ lineId: idAt(data, "run", "workOrder", "line") }),
    },
  },
  {
    field: "holdPlaced",
    queryField: "hold",
    subjects: [quality.holdPlaced],
    keyOf: (message) => ({ entityId: message.entityId, attributes: {} }),
    filters: {},
    roles: READERS,
  },
  {
    field: "holdReleased",
    queryField: "hold",
    subjects: [quality.holdReleased],
    keyOf: (message) => ({ entityId: message.entityId, attributes: {} }),
    filters: {},
    roles: READERS,
  },
  {
    field: "qcDecisionRecorded",
    queryField: "qcDecision",
    subjects: [quality.decisionRecorded],
    keyOf: (message) => ({ entityId: message.entityId, attributes: { gateId: text(message.payload, "gateId") } }),
    filters: { gateId: "gateId" },
    roles: READERS,
  },
  {
    field: "importProgress",
    queryField: "importJob",
    subjects: [inventory.importProgressed],
    keyOf: (message) => ({ entityId: message.entityId, attributes: {} }),
    filters: { importJobId: "entityId" },
    // Who may read a job (the subgraph's Query.importJob).
    roles: ["MANAGER"],
  },
];

/** The `id` at the end of a path of objects in query data, or null where the path stops. */
function idAt(data: Record<string, unknown>, ...path: string[]): string | null {
  let value: unknown = data;
  for (const name of path) value = value && typeof value === "object" ? (value as Record<string, unknown>)[name] : null;
  const id = value && typeof value === "object" ? (value as Record<string, unknown>)["id"] : null;
  return typeof id === "string" ? id : null;
}

export function bindingFor(field: string): LiveBinding | undefined {
  return LIVE_BINDINGS.find((binding) => binding.field === field);
}

/** Every subject the live layer consumes. */
export function liveSubjects(): string[] {
  return [...new Set(LIVE_BINDINGS.flatMap((binding) => binding.subjects))];
}
