import {
  SubgraphClient,
  countChanges,
  formatPosition,
  parsePosition,
  readChanges,
  subjectRegexes,
  type SqlDriver,
  type SubgraphDeps,
} from "@lotgraph/kit";
import { FEED_SERVICES, type ChangeSource, type FeedService } from "./domain/changes/change-feed.ts";

const OUTBOX_CHANGES = `query OutboxChanges($after: String, $first: Int!, $subjects: [String!]) {
  outboxChanges(after: $after, first: $first, subjects: $subjects) {
    hasMore
    changes { position id subject entityType entityId payload occurredAt }
  }
}`;
const OUTBOX_CHANGE_COUNT = `query OutboxChangeCount($subjects: [String!]) { outboxChangeCount(subjects: $subjects) }`;

interface WireChange {
  position: string;
  id: string;
  subject: string;
  entityType: string;
  entityId: string;
  payload: string;
  occurredAt: string;
}

/**
 * Where the change feed reads each service's history: this subgraph's own outbox directly, every
 * other one through the kit's internal `outboxChanges` and `outboxChangeCount` (service token).
 */
export function changeSources(
  deps: Pick<SubgraphDeps, "tokens" | "peerUrl">,
  own: SqlDriver,
): Record<FeedService, ChangeSource> {
  return Object.fromEntries(
    FEED_SERVICES.map((name) => [name, name === "traceability" ? localSource(own) : remoteSource(deps, name)]),
  ) as Record<FeedService, ChangeSource>;
}

function localSource(driver: SqlDriver): ChangeSource {
  return {
    async page(after, first, subjects) {
      const page = await readChanges(driver, {
        after: after ? parsePosition(after) : null,
        first,
        subjects: subjectRegexes(subjects),
      });
      return {
        hasMore: page.hasMore,
        changes: page.changes.map(({ position, ...change }) => ({ ...change, position: formatPosition(position) })),
      };
    },
    count: (subjects) => countChanges(driver, subjectRegexes(subjects)),
  };
}

function remoteSource(deps: Pick<SubgraphDeps, "tokens" | "peerUrl">, name: FeedService): ChangeSource {
  const client = new SubgraphClient({ caller: "traceability", url: () => deps.peerUrl(name), tokens: deps.tokens });
  return {
    async page(after, first, subjects) {
      const { outboxChanges } = await client.request<{
        outboxChanges: { hasMore: boolean; changes: WireChange[] };
      }>(OUTBOX_CHANGES, { after, first, subjects });
      return {
        hasMore: outboxChanges.hasMore,
        changes: outboxChanges.changes.map((change) => ({
          ...change,
          payload: JSON.parse(change.payload) as Record<string, unknown>,
          occurredAt: new Date(change.occurredAt),
        })),
      };
    },
    async count(subjects) {
      const data = await client.request<{ outboxChangeCount: number }>(OUTBOX_CHANGE_COUNT, { subjects });
      return data.outboxChangeCount;
    },
  };
}
