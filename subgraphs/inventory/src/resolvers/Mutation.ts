import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

export const Mutation: MutationResolvers = {
  createMaterial: async (_parent, { input }, { inventory, principal }) => ({
    material: await inventory.createMaterial(principal, input),
  }),
  createLocation: async (_parent, { input }, { inventory, principal }) => ({
    location: await inventory.createLocation(principal, input),
  }),
  createParty: async (_parent, { input }, { inventory, principal }) => ({
    party: await inventory.createParty(principal, input),
  }),
  receiveLot: async (_parent, { input }, { inventory, principal }) => ({
    lot: await inventory.receiveLot(principal, input),
  }),
};
