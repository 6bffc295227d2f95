import type { CommandScope } from "@lotgraph/kit";
import type { ProductionTx } from "../store/db.ts";

/** What production's write helpers work in: a command's transaction, actor and recorder. */
export type ProductionCommand = CommandScope<ProductionTx>;

/** Rows are never deleted: one missing right after its command committed is a bug, not NOT_FOUND. */
export function vanished(entity: string, id: string): never {
  throw new Error(`${entity} ${id} vanished after a committed change`);
}
