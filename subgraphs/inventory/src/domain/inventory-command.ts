import type { CommandContext, CommandScope, Principal } from "@lotgraph/kit";
import { findLots, type InventoryTx, type Reader } from "../store/inventory-store.ts";
import { actorOf, type Actor } from "./common.ts";
import type { LotRecord } from "./records.ts";

/** What inventory's write helpers work in: a command's transaction, actor and recorder. */
export type InventoryCommand = CommandScope<InventoryTx, Actor>;

/** What the body of an inventory command gets (no command of inventory prepares anything). */
export type InventoryContext<I> = CommandContext<InventoryTx, I, Actor, undefined>;

/** The actor of a public mutation: its caller (a user or a service account). */
export const callerActor = (caller: Principal): Actor => actorOf(caller);

/** The actor of an internal call: the person the calling service acts for, else the service. */
export function actingFor(caller: Principal, input: { performedBy?: { id: string; name: string } | null }): Actor {
  return actorOf(caller, input.performedBy);
}

/**
 * What a replay of an internal call must repeat: the input, with the person acted for (null when
 * none is named, so leaving it out and naming none are the same request).
 */
export function internalRequest<I extends { idempotencyKey?: unknown; performedBy?: unknown }>(
  input: I,
): Omit<I, "idempotencyKey" | "performedBy"> & { performedBy: I["performedBy"] | null } {
  const { idempotencyKey: _key, performedBy, ...rest } = input;
  return { ...rest, performedBy: performedBy ?? null };
}

/** The lots a command wrote, in the order it returned their ids (read in its transaction). */
export async function lotsInOrder(db: Reader, ids: readonly string[]): Promise<LotRecord[]> {
  return inOrder("lot", ids, await findLots(db, ids));
}

/** `records` in the order of `ids` (as a command returned them; a read by ids has no order). */
export function inOrder<T extends { id: string }>(entity: string, ids: readonly string[], records: readonly T[]): T[] {
  const byId = new Map(records.map((record) => [record.id, record]));
  return ids.map((id) => byId.get(id) ?? vanished(entity, id));
}

export async function lotById(db: Reader, id: string): Promise<LotRecord> {
  const [lot] = await lotsInOrder(db, [id]);
  return lot!;
}

/** Rows are never deleted: one missing right after its command wrote it is a bug, not NOT_FOUND. */
export function vanished(entity: string, id: string): never {
  throw new Error(`${entity} ${id} vanished right after a command wrote it`);
}

/** What a command stores for its lots: their ids, in order. */
export const idsOf = (records: readonly { id: string }[]): string[] => records.map((record) => record.id);
