import { movementConnection } from "../domain/queries.ts";
import { describeRequirement } from "../domain/release-requirements.ts";
import type { LotResolvers } from "../generated/graphql/resolvers.ts";

export const Lot: LotResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.lot.load(ref.id),
  material: async (lot, _args, { loaders }) => {
    const material = await loaders.material.load(lot.materialId);
    if (!material) throw new Error(`lot ${lot.id} references missing material ${lot.materialId}`);
    return material;
  },
  location: (lot, _args, { loaders }) => (lot.locationId ? loaders.location.load(lot.locationId) : null),
  supplier: (lot, _args, { loaders }) => (lot.supplierId ? loaders.party.load(lot.supplierId) : null),
  movements: (lot, args, { loaders }) =>
    movementConnection(args, (request) => loaders.movementPage.load({ lotId: lot.id, ...request })),
  serials: (lot, _args, { loaders }) => loaders.serialsByLot.load(lot.id),
  awaitingRelease: (lot) =>
    lot.releasePending
      .map(describeRequirement)
      .map(({ kind, gateId }) => ({ kind, gate: gateId ? { id: gateId } : null })),
};
