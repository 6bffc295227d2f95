import { badInput, grants, requireRole, subjectRegexes, type Principal } from "@lotgraph/kit";

/** The services whose change histories make up the feed, in the order ties are broken. */
export const FEED_SERVICES = ["identity", "inventory", "production", "quality", "traceability"] as const;
export type FeedService = (typeof FEED_SERVICES)[number];

/** One change of the feed, as an integrator reads it. */
export interface ChangeView {
  /** The service whose transaction made the change. */
  service: FeedService;
  /** The event's id: the same id the bus, webhooks and Nats-Msg-Id carry. */
  id: string;
  subject: string;
  occurredAt: Date;
  entityType: string;
  entityId: string;
  payload: Record<string, unknown>;
}

/** One service's history, read through its internal `outboxChanges` (or directly, for this one). */
export interface ChangeSource {
  page(
    after: string | null,
    first: number,
    subjects: readonly string[] | null,
  ): Promise<{ changes: Array<Omit<ChangeView, "service"> & { position: string }>; hasMore: boolean }>;
  count(subjects: readonly string[] | null): Promise<number>;
}

export interface ChangePage {
  edges: Array<{ change: ChangeView; cursor: string }>;
  hasNextPage: boolean;
  /** Where the next page starts: after the last change returned, or where `after` stood. */
  endCursor: string;
  /** Changes of the subjects asked for, in the whole history the caller may read. */
  totalCount: () => Promise<number>;
}

/** A page as the GraphQL connection serves it; totalCount is counted only when asked for. */
export interface ChangeConnectionView {
  edges: Array<{ cursor: string; node: ChangeView & { cursor: string } }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string };
  totalCount: () => Promise<number>;
}

export const MAX_CHANGES_FIRST = 1000;
const DEFAULT_FIRST = 100;

/** Position per service: how far its history was read; absent: from the beginning. */
type Positions = Partial<Record<FeedService, string>>;

/**
 * The change feed (issue 20): every service's outbox history merged into one stream that an
 * integrator reads page by page with a cursor it keeps, across restarts of either side, seeing
 * each change once. Within one service the order is the order its transactions committed; across
 * services, changes are interleaved by time (each service's clock is its own database's).
 *
 * Identity's changes (people, roles, service accounts) are for AUDITOR or ADMIN, as its lists are;
 * for anyone else the feed leaves identity out and its position stays where it was.
 */
export class ChangeFeed {
  constructor(private readonly sources: Readonly<Record<FeedService, ChangeSource>>) {}

  async page(
    caller: Principal | null,
    args: { after?: string | null; first?: number | null; subjects?: readonly string[] | null },
  ): Promise<ChangePage> {
    const principal = requireRole(caller, "VIEWER");
    const first = args.first ?? DEFAULT_FIRST;
    if (!Number.isInteger(first) || first < 1 || first > MAX_CHANGES_FIRST)
      throw badInput("first", `first must be between 1 and ${MAX_CHANGES_FIRST}`);
    const services = readableServices(principal);
    const subjects = args.subjects ?? null;
    subjectRegexes(subjects); // refuses a malformed pattern here, before any service is asked
    const start = readCursor(args.after ?? null);
    const pages = await Promise.all(
      services.map(async (service) => ({
        service,
        ...(await this.sources[service].page(start[service] ?? null, first, subjects)),
      })),
    );
    // A k-way merge by time that never reorders one service's changes: each service's page is
    // already in its commit order, and only the heads are compared.
    const heads = pages.map(() => 0);
    const positions: Positions = { ...start };
    const edges: ChangePage["edges"] = [];
    while (edges.length < first) {
      let next = -1;
      pages.forEach((page, index) => {
        const head = page.changes[heads[index]!];
        if (!head) return;
        const best = next === -1 ? undefined : pages[next]!.changes[heads[next]!];
        if (!best || head.occurredAt.getTime() < best.occurredAt.getTime()) next = index;
      });
      if (next === -1) break;
      const page = pages[next]!;
      const { position, ...change } = page.changes[heads[next]!]!;
      heads[next]! += 1;
      positions[page.service] = position;
      edges.push({ change: { service: page.service, ...change }, cursor: writeCursor(positions) });
    }
    const hasNextPage = pages.some((page, index) => page.hasMore || heads[index]! < page.changes.length);
    return {
      edges,
      hasNextPage,
      endCursor: edges.at(-1)?.cursor ?? writeCursor(start),
      totalCount: async () =>
        (await Promise.all(services.map((service) => this.sources[service].count(subjects)))).reduce(
          (sum, n) => sum + n,
          0,
        ),
    };
  }
}

function readableServices(principal: Principal): FeedService[] {
  return grants(principal.roles, ["AUDITOR"]) ? [...FEED_SERVICES] : FEED_SERVICES.filter((s) => s !== "identity");
}

const CURSOR_VERSION = 1;

/** An opaque cursor: the position reached in each service's history. */
function writeCursor(positions: Positions): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, p: positions })).toString("base64url");
}

function readCursor(after: string | null): Positions {
  if (!after) return {};
  const refused = () => badInput("after", "after is not a change-feed cursor");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, "base64url").toString("utf8"));
  } catch {
    throw refused();
  }
  if (typeof parsed !== "object" || parsed === null) throw refused();
  const { v, p } = parsed as { v?: unknown; p?: unknown };
  if (v !== CURSOR_VERSION || typeof p !== "object" || p === null) throw refused();
  const positions: Positions = {};
  for (const [service, position] of Object.entries(p)) {
    if (!(FEED_SERVICES as readonly string[]).includes(service)) throw refused();
    if (typeof position !== "string" || !/^\d{1,20}:\d{1,20}$/.test(position)) throw refused();
    positions[service as FeedService] = position;
  }
  return positions;
}
