import type { SubgraphClient } from "@lotgraph/kit";
import type {
  ComponentLot,
  ConsumeRequest,
  ConsumeResult,
  InventoryEntity,
  InventoryPort,
  MaterialState,
  ProduceRequest,
  ProduceResult,
} from "../domain/inventory-port.ts";

const CONSUME = `mutation ProductionConsume($input: ConsumeFromLotInput!) {
  consumeFromLot(input: $input) { movementId lot { id material { id } } }
}`;
const COMPONENT_LOT = `query ProductionComponentLot($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on SerialUnit { lot { id code status expiresAt } }
    ... on Lot { id code status expiresAt }
  }
}`;
const MATERIALS = `query ProductionMaterials($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Material { id sku active } }
}`;
const PRODUCE = `mutation ProductionProduce($input: ProduceLotInput!) {
  produceLot(input: $input) { lot { id } serials { id } holds { holdId causeLotId reason } }
}`;

/** The inventory port over inventory's internal mutations, called directly with a service token. */
export class InventoryClient implements InventoryPort {
  constructor(private readonly client: SubgraphClient) {}

  async consumeFromLot(request: ConsumeRequest, requestId: string): Promise<ConsumeResult> {
    const data = await this.client.request<{
      consumeFromLot: { movementId: string; lot: { id: string; material: { id: string } } };
    }>(CONSUME, { input: request }, requestId);
    const { movementId, lot } = data.consumeFromLot;
    return { movementId, lotId: lot.id, materialId: lot.material.id };
  }

  async produceLot(request: ProduceRequest, requestId: string): Promise<ProduceResult> {
    const data = await this.client.request<{
      produceLot: { lot: { id: string }; serials: Array<{ id: string }>; holds: ProduceResult["holds"] };
    }>(PRODUCE, { input: request }, requestId);
    const { lot, serials, holds } = data.produceLot;
    return { lotId: lot.id, serialIds: serials.map((s) => s.id), holds };
  }

  async existing(type: InventoryEntity, ids: readonly string[], requestId: string): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    // `type` is one of a closed set of names, so building the fragment from it is safe.
    const query = `query ProductionExisting($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on ${type} { id } }
    }`;
    const representations = ids.map((id) => ({ __typename: type, id }));
    const data = await this.client.request<{ _entities: Array<{ id?: string } | null> }>(
      query,
      { representations },
      requestId,
    );
    return new Set(data._entities.flatMap((entity) => (entity?.id ? [entity.id] : [])));
  }

  async materials(ids: readonly string[], requestId: string): Promise<Map<string, MaterialState>> {
    if (ids.length === 0) return new Map();
    const representations = [...new Set(ids)].map((id) => ({ __typename: "Material", id }));
    const data = await this.client.request<{ _entities: Array<MaterialState | null> }>(
      MATERIALS,
      { representations },
      requestId,
    );
    return new Map(data._entities.flatMap((material) => (material?.id ? [[material.id, material] as const] : [])));
  }

  async componentLot(
    component: { serialId: string } | { lotId: string },
    requestId: string,
  ): Promise<ComponentLot | null> {
    const representation =
      "serialId" in component
        ? { __typename: "SerialUnit", id: component.serialId }
        : { __typename: "Lot", id: component.lotId };
    const data = await this.client.request<{
      _entities: Array<(ComponentLot & { lot?: undefined }) | { lot: ComponentLot } | null>;
    }>(COMPONENT_LOT, { representations: [representation] }, requestId);
    const [entity] = data._entities;
    if (!entity) return null;
    return "serialId" in component ? (entity as { lot: ComponentLot }).lot : (entity as ComponentLot);
  }
}
