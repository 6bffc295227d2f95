import type { StockMovementResolvers } from "../generated/graphql/resolvers.ts";
import { required } from "./required.ts";

export const StockMovement: StockMovementResolvers = {
  lot: (movement, _args, { loaders }) => required(loaders.lot.load(movement.lotId), `lot of movement ${movement.id}`),
  fromLocation: (movement, _args, { loaders }) =>
    movement.fromLocationId ? loaders.location.load(movement.fromLocationId) : null,
  toLocation: (movement, _args, { loaders }) =>
    movement.toLocationId ? loaders.location.load(movement.toLocationId) : null,
  shipment: (movement, _args, { loaders }) => (movement.shipmentId ? loaders.shipment.load(movement.shipmentId) : null),
};
