import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, type DocumentNode } from "graphql";
import { requireInternal } from "../auth/guard.ts";
import type { Principal } from "../auth/tokens.ts";
import type { SqlDriver } from "../db/sql.ts";
import { badInput } from "../errors.ts";
import { readAuditEvidence, type AuditEntityRef } from "./audit-proofs.ts";
import { checkAuditChain, readAuditLog, type AuditFilter } from "./audit-reads.ts";

/** Where the kit's audit SDL lives: composition appends it to every subgraph's SDL. */
export const AUDIT_SDL_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "audit.graphql");

/** The kit's internal audit reads (audit.graphql), merged into every subgraph's schema. */
export const AUDIT_TYPE_DEFS: DocumentNode = parse(readFileSync(AUDIT_SDL_PATH, "utf8"));

interface AuditLogArgs {
  filter?: {
    entityType?: string | null;
    entityId?: string | null;
    actorId?: string | null;
    from?: string | null;
    to?: string | null;
  } | null;
  beforeSeq?: number | null;
  first: number;
}

interface AuditEvidenceArgs {
  entities: AuditEntityRef[];
  seqs: number[];
}

/** The most entities and seqs one evidence request may name: a recall's lots and more, bounded. */
const MAX_EVIDENCE_REFS = 100_000;

/** Resolvers of audit.graphql over one subgraph's own log; service token only. */
export function auditResolvers(driver: SqlDriver) {
  return {
    Query: {
      auditLog: async (_parent: unknown, args: AuditLogArgs, context: { principal: Principal | null }) => {
        requireInternal(context.principal);
        const filter: AuditFilter = {
          entityType: args.filter?.entityType ?? null,
          entityId: args.filter?.entityId ?? null,
          actorId: args.filter?.actorId ?? null,
          from: instant("filter.from", args.filter?.from),
          to: instant("filter.to", args.filter?.to),
        };
        const page = await readAuditLog(driver, filter, args.beforeSeq ?? null, args.first);
        return {
          totalCount: page.totalCount,
          entries: page.entries.map((entry) => ({
            ...entry,
            at: entry.at.toISOString(),
            before: entry.before === null ? null : JSON.stringify(entry.before),
            after: entry.after === null ? null : JSON.stringify(entry.after),
          })),
        };
      },
      auditChain: async (_parent: unknown, _args: unknown, context: { principal: Principal | null }) => {
        requireInternal(context.principal);
        const report = await checkAuditChain(driver);
        return { ...report, checkedAt: report.checkedAt.toISOString() };
      },
      auditEvidence: async (_parent: unknown, args: AuditEvidenceArgs, context: { principal: Principal | null }) => {
        requireInternal(context.principal);
        if (args.entities.length + args.seqs.length > MAX_EVIDENCE_REFS)
          throw badInput("entities", `at most ${MAX_EVIDENCE_REFS} entities and seqs in one request`);
        if (args.seqs.some((seq) => seq < 1)) throw badInput("seqs", "seqs start at 1");
        const evidence = await readAuditEvidence(driver, args);
        return {
          ...evidence.chain,
          entries: evidence.entries.map(({ actor, ...entry }) => ({
            ...entry,
            actorId: actor.id,
            actorName: actor.name,
            before: entry.before === null ? null : JSON.stringify(entry.before),
            after: entry.after === null ? null : JSON.stringify(entry.after),
          })),
        };
      },
    },
  };
}

function instant(field: string, value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput(field, `${field} is not an ISO 8601 date-time`);
  return at;
}
