import type { SerialUnitResolvers } from "../generated/graphql/resolvers.ts";
import { required } from "./required.ts";

export const SerialUnit: SerialUnitResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.serial.load(ref.id),
  material: (serial, _args, { loaders }) =>
    required(loaders.material.load(serial.materialId), `material of serial ${serial.id}`),
  lot: (serial, _args, { loaders }) => required(loaders.lot.load(serial.lotId), `lot of serial ${serial.id}`),
  location: (serial, _args, { loaders }) => (serial.locationId ? loaders.location.load(serial.locationId) : null),
};
