import {
  SubgraphClient,
  checkAuditChain,
  readAuditLog,
  type SqlDriver,
  type SubgraphDeps,
  type SubgraphName,
} from "@lotgraph/kit";
import { AUDITED_SUBGRAPHS, type AuditLogSource, type AuditedSubgraph } from "./domain/audit/audit-trail.ts";

const AUDIT_LOG = `query AuditLog($filter: AuditLogFilter, $beforeSeq: Int, $first: Int!) {
  auditLog(filter: $filter, beforeSeq: $beforeSeq, first: $first) {
    totalCount
    entries { seq at actorId actorName action entityType entityId reason before after hash prevHash }
  }
}`;
const AUDIT_CHAIN = `query AuditChain { auditChain { length headHash verified firstBrokenSeq checkedAt } }`;

interface WireEntry {
  seq: number;
  at: string;
  actorId: string;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  before: string | null;
  after: string | null;
  hash: string;
  prevHash: string;
}

/**
 * Where the audit trail reads each subgraph's log: this subgraph's own database directly, every
 * other one through the kit's internal `auditLog` and `auditChain` queries (service token).
 */
export function auditSources(
  deps: Pick<SubgraphDeps, "tokens" | "peerUrl">,
  own: SqlDriver,
): Record<AuditedSubgraph, AuditLogSource> {
  return Object.fromEntries(
    AUDITED_SUBGRAPHS.map((name) => [name, name === "traceability" ? localSource(own) : remoteSource(deps, name)]),
  ) as Record<AuditedSubgraph, AuditLogSource>;
}

function localSource(driver: SqlDriver): AuditLogSource {
  return {
    page: (filter, beforeSeq, first) => readAuditLog(driver, filter, beforeSeq, first),
    chain: () => checkAuditChain(driver),
  };
}

function remoteSource(deps: Pick<SubgraphDeps, "tokens" | "peerUrl">, name: SubgraphName): AuditLogSource {
  const client = new SubgraphClient({ caller: "traceability", url: () => deps.peerUrl(name), tokens: deps.tokens });
  return {
    async page(filter, beforeSeq, first) {
      const data = await client.request<{ auditLog: { totalCount: number; entries: WireEntry[] } }>(AUDIT_LOG, {
        filter: {
          entityType: filter.entityType ?? null,
          entityId: filter.entityId ?? null,
          actorId: filter.actorId ?? null,
          from: filter.from?.toISOString() ?? null,
          to: filter.to?.toISOString() ?? null,
        },
        beforeSeq,
        first,
      });
      return {
        totalCount: data.auditLog.totalCount,
        entries: data.auditLog.entries.map((entry) => ({
          ...entry,
          at: new Date(entry.at),
          before: entry.before === null ? null : JSON.parse(entry.before),
          after: entry.after === null ? null : JSON.parse(entry.after),
        })),
      };
    },
    async chain() {
      const { auditChain } = await client.request<{
        auditChain: {
          length: number;
          headHash: string | null;
          verified: boolean;
          firstBrokenSeq: number | null;
          checkedAt: string;
        };
      }>(AUDIT_CHAIN, {});
      return { ...auditChain, checkedAt: new Date(auditChain.checkedAt) };
    },
  };
}
