import { Quantity, badInput, isUuid, requireAuthenticated, type Principal } from "@lotgraph/kit";
import type { TraceabilityLoaders } from "../loaders.ts";
import { MAX_TRACE_DEPTH, type GenealogyStore } from "../genealogy/port/genealogy-store.ts";
import { buildAsBuilt } from "./as-built.ts";
import { sourceLots } from "./exposure/index.ts";
import { checkTolerance, flagMassBalance } from "./mass-balance.ts";
import type {
  AsBuiltView,
  Direction,
  LotFactsSource,
  LotRef,
  MassBalanceView,
  RecallView,
  TraceReads,
  TraceView,
} from "./records.ts";

export interface TraceabilityDeps {
  genealogy: GenealogyStore;
  reads: TraceReads;
  inventory: LotFactsSource;
}

const ref = (id: string) => ({ id });

/** Traceability's rules: genealogy reads for any signed-in caller (recalls are read-only too). */
export class TraceabilityService {
  constructor(private readonly deps: TraceabilityDeps) {}

  async parents(caller: Principal | null, lotId: string, loaders: TraceabilityLoaders): Promise<LotRef[]> {
    requireAuthenticated(caller);
    return (await loaders.parents.load(lotId)).map(ref);
  }

  async children(caller: Principal | null, lotId: string, loaders: TraceabilityLoaders): Promise<LotRef[]> {
    requireAuthenticated(caller);
    return (await loaders.children.load(lotId)).map(ref);
  }

  async trace(caller: Principal | null, lotId: string, direction: Direction, maxDepth: number): Promise<TraceView> {
    requireAuthenticated(caller);
    if (!isUuid(lotId)) throw badInput("lotId", "lotId is not a lot id");
    if (!Number.isSafeInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_TRACE_DEPTH)
      throw badInput("maxDepth", `maxDepth must be from 0 to ${MAX_TRACE_DEPTH}`);
    const walk = await this.deps.genealogy.trace(lotId, direction, maxDepth);
    // The root first, then by depth: the order a reader of the trace expects.
    const nodes = [...walk.nodes].sort((a, b) => a.depth - b.depth || a.lotId.localeCompare(b.lotId));
    return {
      root: ref(lotId),
      direction,
      maxDepth,
      nodes: nodes.map((n) => ({ lot: ref(n.lotId), depth: n.depth })),
      edges: walk.edges.map((e) => ({
        parent: ref(e.parentLotId),
        child: ref(e.childLotId),
        quantity: e.quantity,
        run: e.runId ? ref(e.runId) : null,
      })),
      truncated: walk.truncated,
    };
  }

  /**
   * The bad day (DOMAIN.md): every lot made from the starting lots at any depth, the finished
   * goods among them, what is still on hand (inventory's quantity now, not a projected one),
   * and every shipment that carried any of them. An unknown supplier lot code is NOT_FOUND, not
   * an empty recall: a typo must never read as "nothing affected".
   */
  async recall(
    caller: Principal | null,
    args: { lotId?: string | null; supplierLotCode?: string | null },
  ): Promise<RecallView> {
    requireAuthenticated(caller);
    const starts = await sourceLots(this.deps.genealogy, args);
    const descendants = await this.deps.genealogy.descendants(starts);
    const affected = [...new Set([...starts, ...descendants])];
    const [facts, shipments] = await Promise.all([
      this.deps.inventory.lotFacts(affected),
      this.deps.reads.shipmentsOfLots(affected),
    ]);
    const byId = new Map(facts.map((f) => [f.id, f]));
    const known = affected.flatMap((id) => byId.get(id) ?? []);
    return {
      affectedLots: affected.map(ref),
      finishedLots: known.filter((f) => f.materialKind === "FINISHED").map((f) => ref(f.id)),
      onHand: known.filter((f) => Quantity.of(f.quantity).isPositive()).map((f) => ref(f.id)),
      shipments: shipments.map(ref),
    };
  }

  async asBuilt(caller: Principal | null, serialId: string, at: Date | null): Promise<AsBuiltView | null> {
    requireAuthenticated(caller);
    if (!isUuid(serialId)) return null;
    return buildAsBuilt(this.deps.reads, serialId, at ?? new Date());
  }

  async massBalance(caller: Principal | null, runId: string, tolerancePercent: number): Promise<MassBalanceView> {
    requireAuthenticated(caller);
    if (!isUuid(runId)) throw badInput("runId", "runId is not a run id");
    const tolerance = checkTolerance(tolerancePercent);
    return flagMassBalance(runId, tolerance, await this.deps.reads.massBalance(runId));
  }
}
