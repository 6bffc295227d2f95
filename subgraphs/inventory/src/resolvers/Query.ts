import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  lot: (_parent, args, { inventory, principal }) => inventory.queries.lot(principal, args),
  lots: (_parent, { filter, first, after }, { inventory, principal }) =>
    inventory.queries.lots(principal, filter ?? {}, { first, after }),
  material: (_parent, args, { inventory, principal }) => inventory.queries.material(principal, args),
  materials: (_parent, args, { inventory, principal }) => inventory.queries.materials(principal, args),
  location: (_parent, args, { inventory, principal }) => inventory.queries.location(principal, args),
  locations: (_parent, _args, { inventory, principal }) => inventory.queries.locations(principal),
  party: (_parent, args, { inventory, principal }) => inventory.queries.party(principal, args),
  parties: (_parent, { kind }, { inventory, principal }) => inventory.queries.parties(principal, kind ?? null),
  serialUnit: (_parent, args, { inventory, principal }) => inventory.queries.serialUnit(principal, args),
  shipment: (_parent, { id }, { inventory, principal, loaders }) =>
    inventory.queries.readable(principal, () => loaders.shipment.load(id)),
  shipments: (_parent, { customerId, first, after }, { inventory, principal }) =>
    inventory.shipping.shipments(principal, customerId ?? null, { first, after }),
  lotFacts: (_parent, { ids }, { inventory, principal }) => inventory.queries.lotFacts(principal, ids),
};
