import type { ShipmentLineResolvers, ShipmentResolvers } from "../generated/graphql/resolvers.ts";
import { required } from "./required.ts";

export const Shipment: ShipmentResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.shipment.load(ref.id),
  customer: (shipment, _args, { loaders }) =>
    required(loaders.party.load(shipment.customerId), `customer of shipment ${shipment.id}`),
  shippedBy: (shipment) => shipment.actorName,
  lines: (shipment, _args, { loaders }) => loaders.linesByShipment.load(shipment.id),
};

export const ShipmentLine: ShipmentLineResolvers = {
  lot: (line, _args, { loaders }) => required(loaders.lot.load(line.lotId), `lot of shipment line ${line.shipmentId}`),
  serials: async (line, _args, { loaders }) =>
    (await loaders.serial.loadMany(line.serialIds)).flatMap((serial) =>
      serial && !(serial instanceof Error) ? [serial] : [],
    ),
};
