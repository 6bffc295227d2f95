import { DateTimeScalar, DecimalScalar } from "@lotgraph/kit";
import type { Resolvers } from "../generated/graphql/resolvers.ts";
import { Location } from "./Location.ts";
import { Lot } from "./Lot.ts";
import { Material } from "./Material.ts";
import { Mutation } from "./Mutation.ts";
import { Party } from "./Party.ts";
import { Query } from "./Query.ts";
import { SerialUnit } from "./SerialUnit.ts";
import { Shipment, ShipmentLine } from "./Shipment.ts";
import { StockMovement } from "./StockMovement.ts";
import { ImportJob, ImportMutation, ImportQuery } from "./ImportJob.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Query: { ...Query, ...ImportQuery },
  Mutation: { ...Mutation, ...ImportMutation },
  Material,
  Location,
  Party,
  Lot,
  SerialUnit,
  StockMovement,
  Shipment,
  ShipmentLine,
  ImportJob,
};
