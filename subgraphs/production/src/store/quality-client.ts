import type { SubgraphClient } from "@lotgraph/kit";
import type { AutomaticHold, GateFacts, GateStatus, QualityPort } from "../domain/quality-port.ts";

const GATES = `query ProductionGates($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on QcGate { id name blocking active } }
}`;
const RECORD_AUTOMATIC_HOLDS = `mutation ProductionAutomaticHolds($input: RecordAutomaticHoldsInput!) {
  recordAutomaticHolds(input: $input) { holds { id } }
}`;

/** The quality port over quality's internal operations, called directly with a service token. */
export class QualityClient implements QualityPort {
  constructor(private readonly client: SubgraphClient) {}

  async gateStatuses(runId: string, gateIds: readonly string[], requestId: string): Promise<GateStatus[]> {
    if (gateIds.length === 0) return [];
    // One request for every gate: an alias per gate.
    const fields = gateIds
      .map((_, i) => `g${i}: gateStatus(runId: $runId, gateId: $g${i}) { gateId blocking passed lastResult }`)
      .join("\n");
    const variables = Object.fromEntries(gateIds.map((gateId, i) => [`g${i}`, gateId]));
    const query = `query ProductionGateStatuses($runId: ID!, ${gateIds.map((_, i) => `$g${i}: ID!`).join(", ")}) {\n${fields}\n}`;
    const data = await this.client.request<Record<string, GateStatus>>(query, { runId, ...variables }, requestId);
    return gateIds.map((_, i) => data[`g${i}`]!);
  }

  async gates(gateIds: readonly string[], requestId: string): Promise<Map<string, GateFacts>> {
    if (gateIds.length === 0) return new Map();
    const representations = gateIds.map((id) => ({ __typename: "QcGate", id }));
    const data = await this.client.request<{
      _entities: Array<{ id?: string; name?: string; blocking?: boolean; active?: boolean } | null>;
    }>(GATES, { representations }, requestId);
    return new Map(
      data._entities.flatMap((gate) =>
        gate?.id
          ? [
              [
                gate.id,
                { name: gate.name ?? gate.id, blocking: gate.blocking === true, active: gate.active !== false },
              ] as const,
            ]
          : [],
      ),
    );
  }

  async recordAutomaticHolds(lotId: string, holds: readonly AutomaticHold[], requestId: string): Promise<void> {
    await this.client.request(RECORD_AUTOMATIC_HOLDS, { input: { lotId, holds } }, requestId);
  }
}
