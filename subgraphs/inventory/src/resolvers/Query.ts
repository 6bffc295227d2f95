import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  lot: (_parent, args, { inventory, principal }) => inventory.lot(principal, args),
  lots: (_parent, { filter, first, after }, { inventory, principal }) =>
    inventory.lots(principal, filter ?? {}, { first, after }),
  material: (_parent, { id }, { inventory, principal, loaders }) =>
    inventory.readable(principal, () => loaders.material.load(id)),
  materials: (_parent, args, { inventory, principal }) => inventory.materials(principal, args),
  location: (_parent, { id }, { inventory, principal, loaders }) =>
    inventory.readable(principal, () => loaders.location.load(id)),
  locations: (_parent, _args, { inventory, principal }) => inventory.locations(principal),
  party: (_parent, { id }, { inventory, principal, loaders }) =>
    inventory.readable(principal, () => loaders.party.load(id)),
  parties: (_parent, { kind }, { inventory, principal }) => inventory.parties(principal, kind ?? null),
};
