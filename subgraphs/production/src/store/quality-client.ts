import type { SubgraphClient } from "@lotgraph/kit";
import type { GateStatus, QualityPort } from "../domain/quality-port.ts";

const GATE_STATUS = `query ProductionGateStatus($runId: ID!, $gateId: ID!) {
  gateStatus(runId: $runId, gateId: $gateId) { gateId blocking passed lastResult }
}`;

/** The quality port over quality's internal `gateStatus`, called directly with a service token. */
export class QualityClient implements QualityPort {
  constructor(private readonly client: SubgraphClient) {}

  async gateStatus(runId: string, gateId: string, requestId: string): Promise<GateStatus> {
    const data = await this.client.request<{ gateStatus: GateStatus }>(GATE_STATUS, { runId, gateId }, requestId);
    return data.gateStatus;
  }
}
