import type { SubgraphClient } from "@lotgraph/kit";
import type {
  DecisionRequest,
  HeldLot,
  IdentityPort,
  InventoryPort,
  LotHoldRequest,
  LotReleaseRequest,
  LotOutputContext,
  LotScrapRequest,
  PerformedBy,
  ProductionPort,
  RunGateContext,
  SignatureCheck,
  SupplierHoldRequest,
} from "../domain/peers.ts";

const SET_HOLD = `mutation QualitySetLotHold($input: SetLotHoldInput!) {
  setLotHold(input: $input) { lots { id status } }
}`;
const CLEAR_HOLD = `mutation QualityClearLotHold($input: ClearLotHoldInput!) {
  clearLotHold(input: $input) { lots { id status } }
}`;
const SUPPLIER_HOLD = `mutation QualitySetSupplierHold($input: SetSupplierHoldInput!) {
  setSupplierHold(input: $input) { lots { id status } }
}`;
const APPLY_DECISION = `mutation QualityApplyDecision($input: ApplyQcDecisionInput!) {
  applyQcDecision(input: $input) { held { id status } }
}`;
const RELEASE_FOR_USE = `mutation QualityReleaseForUse($input: ReleaseLotForUseInput!) {
  releaseLotForUse(input: $input) { lot { id status } }
}`;
const SCRAP = `mutation QualityScrapLot($input: ScrapLotInternalInput!) {
  scrapLotInternal(input: $input) { lot { id status } }
}`;
const EXISTING_LOTS = `query QualityExistingLots($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Lot { id } }
}`;
const PARTY_KINDS = `query QualityPartyKinds($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Party { id kind } }
}`;
const RUN_CONTEXT = `query QualityRunContext($runId: ID!) {
  runGateContext(runId: $runId) {
    runId status reachedPhase lineId outputRecorderIds phases { sequence name gateId }
  }
}`;
const LOT_OUTPUT = `query QualityLotOutput($lotId: ID!) { lotOutputContext(lotId: $lotId) { runId lineId recorderId } }`;
const LINE_OUTPUTS = `query QualityLineOutputs($lineId: ID!, $since: DateTime) { lineOutputLots(lineId: $lineId, since: $since) }`;
const GATE_RUNS = `query QualityGateRunsInProgress($gateId: ID!) { gateRunsInProgress(gateId: $gateId) }`;
const VERIFY_SIGNATURE = `mutation QualityVerifySignature($input: VerifySignatureInput!) {
  verifySignature(input: $input) { valid lockedUntil user { id name } }
}`;

/** Inventory's internal hold, decision and scrap mutations, called directly with a service token. */
export class InventoryClient implements InventoryPort {
  constructor(private readonly client: SubgraphClient) {}

  async setLotHold(request: LotHoldRequest, requestId: string): Promise<HeldLot[]> {
    return (await this.call<{ setLotHold: { lots: HeldLot[] } }>(SET_HOLD, request, requestId)).setLotHold.lots;
  }

  async clearLotHold(request: LotReleaseRequest, requestId: string): Promise<HeldLot[]> {
    return (await this.call<{ clearLotHold: { lots: HeldLot[] } }>(CLEAR_HOLD, request, requestId)).clearLotHold.lots;
  }

  async setSupplierHold(request: SupplierHoldRequest, requestId: string): Promise<HeldLot[]> {
    return (await this.call<{ setSupplierHold: { lots: HeldLot[] } }>(SUPPLIER_HOLD, request, requestId))
      .setSupplierHold.lots;
  }

  async applyQcDecision(request: DecisionRequest, requestId: string): Promise<HeldLot[]> {
    return (await this.call<{ applyQcDecision: { held: HeldLot[] } }>(APPLY_DECISION, request, requestId))
      .applyQcDecision.held;
  }

  async releaseLotForUse(
    request: { lotId: string; reason: string; performedBy: PerformedBy; idempotencyKey: string },
    requestId: string,
  ): Promise<HeldLot> {
    return (await this.call<{ releaseLotForUse: { lot: HeldLot } }>(RELEASE_FOR_USE, request, requestId))
      .releaseLotForUse.lot;
  }

  async scrapLot(request: LotScrapRequest, requestId: string): Promise<HeldLot> {
    return (await this.call<{ scrapLotInternal: { lot: HeldLot } }>(SCRAP, request, requestId)).scrapLotInternal.lot;
  }

  async existingLots(lotIds: readonly string[], requestId: string): Promise<Set<string>> {
    if (lotIds.length === 0) return new Set();
    const representations = lotIds.map((id) => ({ __typename: "Lot", id }));
    const data = await this.client.request<{ _entities: Array<{ id?: string } | null> }>(
      EXISTING_LOTS,
      { representations },
      requestId,
    );
    return new Set(data._entities.flatMap((entity) => (entity?.id ? [entity.id] : [])));
  }

  async suppliers(partyIds: readonly string[], requestId: string): Promise<Set<string>> {
    if (partyIds.length === 0) return new Set();
    const representations = partyIds.map((id) => ({ __typename: "Party", id }));
    const data = await this.client.request<{ _entities: Array<{ id?: string; kind?: string } | null> }>(
      PARTY_KINDS,
      { representations },
      requestId,
    );
    return new Set(data._entities.flatMap((party) => (party?.id && party.kind === "SUPPLIER" ? [party.id] : [])));
  }

  private call<T>(query: string, input: object, requestId: string): Promise<T> {
    return this.client.request<T>(query, { input }, requestId);
  }
}

/** Production's internal reads about runs, outputs and lines. */
export class ProductionClient implements ProductionPort {
  constructor(private readonly client: SubgraphClient) {}

  async runGateContext(runId: string, requestId: string): Promise<RunGateContext | null> {
    return (await this.client.request<{ runGateContext: RunGateContext | null }>(RUN_CONTEXT, { runId }, requestId))
      .runGateContext;
  }

  async lotOutputContext(lotId: string, requestId: string): Promise<LotOutputContext | null> {
    const data = await this.client.request<{ lotOutputContext: LotOutputContext | null }>(
      LOT_OUTPUT,
      { lotId },
      requestId,
    );
    return data.lotOutputContext;
  }

  async lineOutputLots(lineId: string, since: Date | null, requestId: string): Promise<string[]> {
    const data = await this.client.request<{ lineOutputLots: string[] }>(
      LINE_OUTPUTS,
      { lineId, since: since?.toISOString() ?? null },
      requestId,
    );
    return data.lineOutputLots;
  }

  async gateRunsInProgress(gateId: string, requestId: string): Promise<string[]> {
    return (await this.client.request<{ gateRunsInProgress: string[] }>(GATE_RUNS, { gateId }, requestId))
      .gateRunsInProgress;
  }
}

export class IdentityClient implements IdentityPort {
  constructor(private readonly client: SubgraphClient) {}

  async verifySignature(userId: string, password: string, requestId: string): Promise<SignatureCheck> {
    const data = await this.client.request<{
      verifySignature: { valid: boolean; lockedUntil: string | null; user: PerformedBy | null };
    }>(VERIFY_SIGNATURE, { input: { userId, password } }, requestId);
    const { valid, lockedUntil, user } = data.verifySignature;
    return { signer: valid ? user : null, lockedUntil: lockedUntil ? new Date(lockedUntil) : null };
  }
}
