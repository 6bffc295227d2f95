import { DateTimeScalar, DecimalScalar } from "@lotgraph/kit";
import type { Resolvers } from "../generated/graphql/resolvers.ts";
import { Mutation } from "./Mutation.ts";
import { ProductionRun } from "./ProductionRun.ts";
import { Query } from "./Query.ts";
import { Consumption } from "./Consumption.ts";
import { Installation } from "./Installation.ts";
import { Line } from "./Line.ts";
import { Lot } from "./Lot.ts";
import { Output } from "./Output.ts";
import { WorkOrder } from "./WorkOrder.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  Query,
  Mutation,
  Line,
  WorkOrder,
  ProductionRun,
  Consumption,
  Output,
  Installation,
  Lot,
};
