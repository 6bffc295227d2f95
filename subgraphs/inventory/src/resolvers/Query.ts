import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  lot: (_parent, args, { inventory, principal }) => inventory.queries.lot(principal, args),
  lots: (_parent, { filter, first, after }, { inventory, principal }) =>
    inventory.queries.lots(principal, filter ?? {}, { first, after }),
  material: (_parent, args, { inventory, principal }) => inventory.queries.material(principal, args),
  materials: (_parent, { first, after, ...filter }, { inventory, principal }) =>
    inventory.queries.materials(principal, filter, { first, after }),
  location: (_parent, args, { inventory, principal }) => inventory.queries.location(principal, args),
  locations: (_parent, filter, { inventory, principal }) => inventory.queries.locations(principal, filter),
  party: (_parent, args, { inventory, principal }) => inventory.queries.party(principal, args),
  parties: (_parent, { kind, ...filter }, { inventory, principal }) =>
    inventory.queries.parties(principal, kind ?? null, filter),
  serialUnit: (_parent, args, { inventory, principal }) => inventory.queries.serialUnit(principal, args),
  shipment: (_parent, { id }, { inventory, principal, loaders }) =>
    inventory.queries.readable(principal, () => loaders.shipment.load(id)),
  shipments: (_parent, { customerId, first, after, updatedSince, externalRef }, { inventory, principal }) =>
    inventory.shipping.shipments(
      principal,
      { customerId: customerId ?? null, updatedSince: updatedSince ?? null, externalRef: externalRef ?? null },
      { first, after },
    ),
  stockMovements: (_parent, { filter, first, after }, { inventory, principal }) =>
    inventory.queries.stockMovements(principal, filter ?? {}, { first, after }),
  lotFacts: (_parent, { ids }, { inventory, principal }) => inventory.queries.lotFacts(principal, ids),
  lotLedgerTotals: (_parent, { ids }, { inventory, principal }) => inventory.queries.lotLedgerTotals(principal, ids),
};
