import {
  DomainError,
  badInput,
  decodeCursor,
  encodeCursor,
  requireRole,
  summarizeAudit,
  type Principal,
} from "@lotgraph/kit";

/** The subgraphs whose logs make up the audit trail, in the order ties are broken. */
export const AUDITED_SUBGRAPHS = ["identity", "inventory", "production", "quality", "traceability"] as const;
export type AuditedSubgraph = (typeof AUDITED_SUBGRAPHS)[number];

/** One audit entry of one subgraph's log, as an auditor reads it. */
export interface AuditEntryView {
  subgraph: AuditedSubgraph;
  seq: number;
  at: Date;
  actorId: string;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  summary: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  hash: string;
  prevHash: string;
}

export interface AuditChainStatusView {
  subgraph: AuditedSubgraph;
  length: number;
  headHash: string | null;
  verified: boolean;
  firstBrokenSeq: number | null;
  checkedAt: Date;
}

export interface AuditTrailFilter {
  subgraph?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  actorId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** One subgraph's log, read through its internal audit queries (or directly, for this one). */
export interface AuditLogSource {
  page(
    filter: Omit<AuditTrailFilter, "subgraph">,
    beforeSeq: number | null,
    first: number,
  ): Promise<{ entries: Array<Omit<AuditEntryView, "subgraph" | "summary">>; totalCount: number }>;
  chain(): Promise<Omit<AuditChainStatusView, "subgraph">>;
}

export interface AuditPage {
  /** Each entry with the cursor that reads on after it. */
  edges: Array<{ entry: AuditEntryView; cursor: string }>;
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: number;
}

const MAX_FIRST = 500;

/**
 * The audit trail an auditor reads: every subgraph's hash-chained log merged newest first (by
 * time, then subgraph, then seq), filtered, paged with a cursor that remembers how far each log
 * was read, and each chain verified on demand. AUDITOR or ADMIN only: it shows who did what to
 * everything, with before and after values.
 */
export class AuditTrailService {
  constructor(private readonly sources: Readonly<Record<AuditedSubgraph, AuditLogSource>>) {}

  async trail(
    caller: Principal | null,
    filter: AuditTrailFilter,
    args: { first?: number | null; after?: string | null },
  ): Promise<AuditPage> {
    requireRole(caller, "AUDITOR");
    const subgraphs = selected(filter.subgraph);
    if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime())
      throw badInput("filter.to", "to must be after from");
    const first = args.first ?? 50;
    if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST)
      throw badInput("first", `first must be between 0 and ${MAX_FIRST}`);
    const positions = readCursor(args.after ?? null);
    const { subgraph: _all, ...perLog } = filter;
    const pages = await Promise.all(
      subgraphs.map(async (subgraph) => ({
        subgraph,
        ...(await this.sources[subgraph].page(perLog, positions[subgraph] ?? null, first + 1)),
      })),
    );
    const merged = pages
      .flatMap(({ subgraph, entries }) =>
        entries.map((entry) => ({ ...entry, subgraph, summary: summarizeAudit(entry) }) satisfies AuditEntryView),
      )
      .sort(newestFirst);
    const taken = merged.slice(0, first);
    // A log's position after an entry: below the last entry taken from it so far, or, for a log
    // none was taken from yet, at its head as of the first page (entries written since are not
    // mixed into later pages: the trail is read as of its first page).
    const heads: Positions = {};
    for (const { subgraph, entries } of pages)
      heads[subgraph] = positions[subgraph] ?? (entries[0] ? entries[0].seq + 1 : 0);
    const running: Positions = { ...heads };
    const edges = taken.map((entry) => {
      running[entry.subgraph] = entry.seq;
      return { entry, cursor: encodeCursor(cursorKey(running)) };
    });
    return {
      edges,
      hasNextPage: merged.length > taken.length,
      endCursor: edges.at(-1)?.cursor ?? encodeCursor(cursorKey(heads)),
      totalCount: pages.reduce((sum, page) => sum + page.totalCount, 0),
    };
  }

  /** Walks every subgraph's chain and says whether it holds, and where it first breaks. */
  async chainStatus(caller: Principal | null): Promise<AuditChainStatusView[]> {
    requireRole(caller, "AUDITOR");
    return Promise.all(
      AUDITED_SUBGRAPHS.map(async (subgraph) => ({ subgraph, ...(await this.sources[subgraph].chain()) })),
    );
  }

  /** Every entry matching the filter, newest first, page by page (the CSV export). */
  async *entries(caller: Principal | null, filter: AuditTrailFilter): AsyncGenerator<AuditEntryView> {
    let after: string | null = null;
    for (;;) {
      const page: AuditPage = await this.trail(caller, filter, { first: MAX_FIRST, after });
      for (const edge of page.edges) yield edge.entry;
      if (!page.hasNextPage) return;
      after = page.endCursor;
    }
  }
}

function selected(subgraph: string | null | undefined): AuditedSubgraph[] {
  if (!subgraph) return [...AUDITED_SUBGRAPHS];
  const found = AUDITED_SUBGRAPHS.find((name) => name === subgraph.toLowerCase());
  if (!found) throw badInput("filter.subgraph", `subgraph must be one of ${AUDITED_SUBGRAPHS.join(", ")}`);
  return [found];
}

function newestFirst(a: AuditEntryView, b: AuditEntryView): number {
  return (
    b.at.getTime() - a.at.getTime() ||
    AUDITED_SUBGRAPHS.indexOf(a.subgraph) - AUDITED_SUBGRAPHS.indexOf(b.subgraph) ||
    b.seq - a.seq
  );
}

/** Position per log: the seq the next page reads below (0: nothing more); absent: from the top. */
type Positions = Partial<Record<AuditedSubgraph, number>>;

function cursorKey(positions: Positions): string[] {
  return AUDITED_SUBGRAPHS.map((subgraph) => String(positions[subgraph] ?? ""));
}

function readCursor(after: string | null): Positions {
  if (!after) return {};
  const key = decodeCursor(after);
  if (key.length !== AUDITED_SUBGRAPHS.length) throw new DomainError("BAD_USER_INPUT", "after is not an audit cursor");
  const positions: Positions = {};
  AUDITED_SUBGRAPHS.forEach((subgraph, index) => {
    const value = key[index];
    if (value === "" || value === undefined) return;
    const seq = Number(value);
    if (!Number.isInteger(seq) || seq < 0) throw new DomainError("BAD_USER_INPUT", "after is not an audit cursor");
    positions[subgraph] = seq;
  });
  return positions;
}
