import { requireAuthenticated, type Principal } from "@lotgraph/kit";
import type { TraceabilityLoaders } from "../loaders.ts";
import type { LotRef } from "./records.ts";

/**
 * Traceability's rules. This first shell answers one level of genealogy; trace, recall and
 * exports arrive with the traceability issue.
 */
export class TraceabilityService {
  async parents(caller: Principal | null, lotId: string, loaders: TraceabilityLoaders): Promise<LotRef[]> {
    requireAuthenticated(caller);
    return (await loaders.parents.load(lotId)).map((id) => ({ id }));
  }

  async children(caller: Principal | null, lotId: string, loaders: TraceabilityLoaders): Promise<LotRef[]> {
    requireAuthenticated(caller);
    return (await loaders.children.load(lotId)).map((id) => ({ id }));
  }
}
