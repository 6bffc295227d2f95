import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

export const Mutation: MutationResolvers = {
  createMaterial: async (_parent, { input }, { inventory, principal }) => ({
    material: await inventory.masterData.createMaterial(principal, input),
  }),
  createLocation: async (_parent, { input }, { inventory, principal }) => ({
    location: await inventory.masterData.createLocation(principal, input),
  }),
  createParty: async (_parent, { input }, { inventory, principal }) => ({
    party: await inventory.masterData.createParty(principal, input),
  }),
  updateMaterial: async (_parent, { input }, { inventory, principal }) => ({
    material: await inventory.masterDataChanges.updateMaterial(principal, input),
  }),
  updateLocation: async (_parent, { input }, { inventory, principal }) => ({
    location: await inventory.masterDataChanges.updateLocation(principal, input),
  }),
  updateParty: async (_parent, { input }, { inventory, principal }) => ({
    party: await inventory.masterDataChanges.updateParty(principal, input),
  }),
  deactivateMaterial: async (_parent, { input }, { inventory, principal }) => ({
    material: await inventory.masterDataChanges.deactivateMaterial(principal, input),
  }),
  deactivateLocation: async (_parent, { input }, { inventory, principal }) => ({
    location: await inventory.masterDataChanges.deactivateLocation(principal, input),
  }),
  deactivateParty: async (_parent, { input }, { inventory, principal }) => ({
    party: await inventory.masterDataChanges.deactivateParty(principal, input),
  }),
  setLotExternalRef: async (_parent, { input }, { inventory, principal }) => ({
    lot: await inventory.masterDataChanges.setLotExternalRef(principal, input),
  }),
  receiveLot: async (_parent, { input }, { inventory, principal }) => ({
    lot: await inventory.receiving.receiveLot(principal, input),
  }),
  moveLot: async (_parent, { input }, { inventory, principal }) => ({
    lot: await inventory.stock.moveLot(principal, input),
  }),
  adjustLot: async (_parent, { input }, { inventory, principal }) => ({
    lot: await inventory.stock.adjustLot(principal, input),
  }),
  scrapLot: async (_parent, { input }, { inventory, principal }) => ({
    lot: await inventory.stock.scrapLot(principal, input),
  }),
  shipLots: async (_parent, { input }, { inventory, principal }) => ({
    shipment: await inventory.shipping.shipLots(principal, input),
  }),
  consumeFromLot: (_parent, { input }, { inventory, principal }) => inventory.internal.consumeFromLot(principal, input),
  produceLot: (_parent, { input }, { inventory, principal }) => inventory.internal.produceLot(principal, input),
  scrapLotInternal: async (_parent, { input }, { inventory, principal }) => ({
    lot: await inventory.internal.scrapLotInternal(principal, input),
  }),
  setLotHold: async (_parent, { input }, { inventory, principal }) => ({
    lots: await inventory.holds.setLotHold(principal, input),
  }),
  clearLotHold: async (_parent, { input }, { inventory, principal }) => ({
    lots: await inventory.holds.clearLotHold(principal, input),
  }),
  setSupplierHold: async (_parent, { input }, { inventory, principal }) => ({
    lots: await inventory.holds.setSupplierHold(principal, input),
  }),
  applyQcDecision: (_parent, { input }, { inventory, principal }) =>
    inventory.qualityDecisions.applyQcDecision(principal, input),
  releaseLotForUse: async (_parent, { input }, { inventory, principal }) => ({
    lot: await inventory.qualityDecisions.releaseLotForUse(principal, input),
  }),
};
