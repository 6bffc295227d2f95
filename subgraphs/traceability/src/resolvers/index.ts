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
  SerialUnit: {
    asBuilt: (serial, { at }, { traceability, principal }) => traceability.asBuilt(principal, serial.id, at ?? null),
  },
};
