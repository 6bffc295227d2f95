import { requireAuthenticated, type Principal } from "@lotgraph/kit";
import type { QualityLoaders } from "../loaders.ts";
import type { QualityStatus } from "./records.ts";

/**
 * Quality's rules. This first shell answers a lot's quality status (PENDING until a decision);
 * gates, decisions and holds arrive with the quality issue.
 */
export class QualityService {
  async qualityStatus(caller: Principal | null, lotId: string, loaders: QualityLoaders): Promise<QualityStatus> {
    requireAuthenticated(caller);
    return (await loaders.qualityStatus.load(lotId)) ?? "PENDING";
  }
}
