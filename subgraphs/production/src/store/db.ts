import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type ProductionClient = PrismaClient;
export type ProductionTx = Prisma.TransactionClient;
export type Reader = ProductionClient | ProductionTx;

/** Prisma's Decimal in plain notation (never exponent form), as the `Decimal` scalar carries it. */
export const decimalText = (value: Prisma.Decimal): string => value.toFixed();
