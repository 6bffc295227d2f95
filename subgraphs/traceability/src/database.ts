import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

/** Traceability's Prisma client: the genealogy's SQL adapter, the facts and the projection share it. */
export type TraceabilityClient = PrismaClient;
/** The same inside a transaction (the projection's consumer runs each event in one). */
export type TraceabilityTx = Prisma.TransactionClient;
