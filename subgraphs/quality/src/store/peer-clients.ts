import type { SubgraphClient } from "@lotgraph/kit";
import type {
  GenealogyPort,
  HeldLot,
  IdentityPort,
  InventoryPort,
  LotHoldRequest,
  LotScrapRequest,
  PerformedBy,
} from "../domain/peers.ts";

const SET_HOLD = `mutation QualitySetLotHold($input: SetLotHoldInput!) {
  setLotHold(input: $input) { lots { id status } }
}`;
const CLEAR_HOLD = `mutation QualityClearLotHold($input: ClearLotHoldInput!) {
  clearLotHold(input: $input) { lots { id status } }
}`;
const SCRAP = `mutation QualityScrapLot($input: ScrapLotInternalInput!) {
  scrapLotInternal(input: $input) { lot { id status } }
}`;
const EXISTING_LOTS = `query QualityExistingLots($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Lot { id } }
}`;
const DESCENDANTS = `query QualityDescendants($lotIds: [ID!]!) { descendantsOf(lotIds: $lotIds) }`;
const VERIFY_SIGNATURE = `mutation QualityVerifySignature($input: VerifySignatureInput!) {
  verifySignature(input: $input) { valid user { id name } }
}`;

/** Inventory's internal hold and scrap mutations, called directly with a service token. */
export class InventoryClient implements InventoryPort {
  constructor(private readonly client: SubgraphClient) {}

  async setLotHold(request: LotHoldRequest, requestId: string): Promise<HeldLot[]> {
    const data = await this.client.request<{ setLotHold: { lots: HeldLot[] } }>(
      SET_HOLD,
      { input: request },
      requestId,
    );
    return data.setLotHold.lots;
  }

  async clearLotHold(request: LotHoldRequest, requestId: string): Promise<HeldLot[]> {
    const data = await this.client.request<{ clearLotHold: { lots: HeldLot[] } }>(
      CLEAR_HOLD,
      { input: request },
      requestId,
    );
    return data.clearLotHold.lots;
  }

  async scrapLot(request: LotScrapRequest, requestId: string): Promise<HeldLot> {
    const data = await this.client.request<{ scrapLotInternal: { lot: HeldLot } }>(
      SCRAP,
      { input: request },
      requestId,
    );
    return data.scrapLotInternal.lot;
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
}

export class TraceabilityClient implements GenealogyPort {
  constructor(private readonly client: SubgraphClient) {}

  async descendantsOf(lotIds: readonly string[], requestId: string): Promise<string[]> {
    const data = await this.client.request<{ descendantsOf: string[] }>(DESCENDANTS, { lotIds }, requestId);
    return data.descendantsOf;
  }
}

export class IdentityClient implements IdentityPort {
  constructor(private readonly client: SubgraphClient) {}

  async verifySignature(userId: string, password: string, requestId: string): Promise<PerformedBy | null> {
    const data = await this.client.request<{
      verifySignature: { valid: boolean; user: PerformedBy | null };
    }>(VERIFY_SIGNATURE, { input: { userId, password } }, requestId);
    return data.verifySignature.valid ? data.verifySignature.user : null;
  }
}
