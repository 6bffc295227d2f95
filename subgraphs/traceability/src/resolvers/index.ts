import { DateTimeScalar, DecimalScalar, JSONScalar, isUuid } from "@lotgraph/kit";
import type { Resolvers } from "../generated/graphql/resolvers.ts";
import { Query } from "./Query.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  JSON: JSONScalar,
  Query,
  Lot: {
    parents: (lot, _args, { traceability, principal, loaders }) => traceability.parents(principal, lot.id, loaders),
    children: (lot, _args, { traceability, principal, loaders }) => traceability.children(principal, lot.id, loaders),
  },
  AuditEntry: {
    // Service accounts and Lotgraph itself act too; only a person's id names a User.
    actor: (entry) => (isUuid(entry.actorId) ? { id: entry.actorId } : null),
  },
  SerialUnit: {
    asBuilt: (serial, { at }, { traceability, principal }) => traceability.asBuilt(principal, serial.id, at ?? null),
  },
};
