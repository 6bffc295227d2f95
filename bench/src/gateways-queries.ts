import type { SeededPlant } from "./gateways-seed.ts";

/** Fields of a lot from four subgraphs: inventory, production, quality and traceability. */
const LOT_FIELDS = `id code quantity uom status supplierLotCode material { sku name } location { code }
  producedBy { id status workOrder { number } }
  qualityStatus decisions { result decidedAt }
  parents { id code } children { id code }`;

export interface BenchQuery {
  name: string;
  query: string;
  /** The variables connection `i` sends, so connections ask about different lots where it makes sense. */
  variables(plant: SeededPlant, i: number): Record<string, unknown>;
}

export const QUERIES: BenchQuery[] = [
  {
    name: "lot, 4 subgraphs",
    query: `query Lot($id: ID!) { lot(id: $id) { ${LOT_FIELDS} } }`,
    variables: (plant, i) => ({ id: plant.middleLots[i % plant.middleLots.length] }),
  },
  {
    name: "50 lots, 4 subgraphs",
    query: `query Lots { lots(first: 50) { edges { node { ${LOT_FIELDS} } } } }`,
    variables: () => ({}),
  },
  {
    name: "recall by supplier lot",
    query: `query Recall($code: String!) { recall(supplierLotCode: $code) {
      affectedLots { id code status } finishedLots { id code }
      onHand { id code quantity location { code } } shipments { id reference } } }`,
    variables: (plant, i) => ({ code: plant.supplierLotCodes[i % plant.supplierLotCodes.length] }),
  },
  {
    name: "lot, inventory only",
    query: `query LotStock($id: ID!) { lot(id: $id) { id code quantity uom status supplierLotCode } }`,
    variables: (plant, i) => ({ id: plant.middleLots[i % plant.middleLots.length] }),
  },
];

/** One answer, checked: its data, or why it cannot be measured (errors, no data). */
export async function ask(
  url: string,
  token: string,
  query: BenchQuery,
  plant: SeededPlant,
): Promise<{ data: unknown } | { problem: string }> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: query.query, variables: query.variables(plant, 0) }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> };
    if (body.errors?.length) return { problem: `errors: ${body.errors.map((e) => e.message).join("; ")}` };
    if (!body.data) return { problem: `no data (HTTP ${response.status})` };
    return { data: body.data };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
