import type { CommandScope } from "@lotgraph/kit";
import type { QualityTx, Reader } from "../store/db.ts";
import * as holdStore from "../store/hold-store.ts";
import type { HoldRecord } from "./records.ts";

/** What quality's write helpers work in: a command's transaction, actor and recorder. */
export type QualityCommand = CommandScope<QualityTx>;

/** Rows are never deleted: one missing right after its command committed is a bug, not NOT_FOUND. */
export function vanished(entity: string, id: string): never {
  throw new Error(`${entity} ${id} vanished after a committed change`);
}

/** The holds of a committed command, in the order it stored their ids. */
export async function holdsInOrder(db: Reader, ids: readonly string[]): Promise<HoldRecord[]> {
  const byId = new Map((await holdStore.findHolds(db, ids)).map((hold) => [hold.id, hold]));
  return ids.map((id) => byId.get(id) ?? vanished("hold", id));
}
