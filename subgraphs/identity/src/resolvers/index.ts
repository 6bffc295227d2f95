import { DateTimeScalar } from "@lotgraph/kit";
import type { Resolvers } from "../generated/graphql/resolvers.ts";
import { Mutation } from "./Mutation.ts";
import { Query } from "./Query.ts";
import { ServiceAccount } from "./ServiceAccount.ts";
import { User } from "./User.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  User,
  ServiceAccount,
};
