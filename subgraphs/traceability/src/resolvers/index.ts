import { DateTimeScalar, DecimalScalar, JSONScalar, isUuid } from "@lotgraph/kit";
import type { Resolvers } from "../generated/graphql/resolvers.ts";
import { Mutation } from "./Mutation.ts";
import { Query } from "./Query.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  JSON: JSONScalar,
  Query,
  Mutation,
  Webhook: {
    pendingDeliveries: async (webhook, _args, { webhooks }) => (await webhooks.counts(webhook.id)).pending,
    deadDeliveries: async (webhook, _args, { webhooks }) => (await webhooks.counts(webhook.id)).dead,
  },
  WebhookDelivery: {
    webhook: async (delivery, _args, { webhooks, principal }) => (await webhooks.get(principal, delivery.webhookId))!,
  },
  Lot: {
    parents: (lot, _args, { traceability, principal, loaders }) => traceability.parents(principal, lot.id, loaders),
    children: (lot, _args, { traceability, principal, loaders }) => traceability.children(principal, lot.id, loaders),
  },
  AuditEntry: {
    actor: (entry) => ({
      id: entry.actorId,
      name: entry.actorName,
      // Service accounts and Lotgraph itself act too; identity answers null for an id not a user's.
      user: isUuid(entry.actorId) ? { id: entry.actorId } : null,
    }),
  },
  ChangeConnection: {
    totalCount: (page) => page.totalCount(),
  },
  RecallCase: {
    sourceLot: (c) => (c.sourceLotId ? { id: c.sourceLotId } : null),
    openedBy: (c) => (isUuid(c.openedById) ? { id: c.openedById } : null),
    closedBy: (c) => (c.closedById && isUuid(c.closedById) ? { id: c.closedById } : null),
    signature: (c) =>
      c.signerName && c.signedAt
        ? { signerName: c.signerName, signedAt: c.signedAt, meaning: c.signatureMeaning ?? "" }
        : null,
    scope: async (c, _args, { recalls }) => (await recalls.answerOf(c)).scope,
    exposure: async (c, _args, { recalls }) => (await recalls.answerOf(c)).exposure,
    reconciliation: async (c, _args, { recalls }) => (await recalls.answerOf(c)).reconciliation,
    notices: (c, _args, { recalls }) => recalls.notices(c),
    openActions: (c, _args, { recalls }) => recalls.openActions(c),
    holds: (c) => c.holdIds.map((holdId) => ({ id: holdId })),
    supplierHolds: (c) => c.supplierHoldIds.map((holdId) => ({ id: holdId })),
    reportPdfUrl: (c) => `/exports/recall-cases/${c.id}/report.pdf`,
    reportCsvUrl: (c) => `/exports/recall-cases/${c.id}/report.csv`,
    evidenceUrl: (c) => `/exports/evidence/${c.id}.zip`,
  },
  RecallNotice: {
    customer: (n) => ({ id: n.customerId }),
    recordedBy: (n) => (isUuid(n.recordedById) ? { id: n.recordedById } : null),
  },
  SerialUnit: {
    asBuilt: (serial, { at }, { traceability, principal }) => traceability.asBuilt(principal, serial.id, at ?? null),
  },
};
