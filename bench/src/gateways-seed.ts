import { client, creator } from "./gateway-client.ts";

/** What the queries of the gateways bench are asked about. */
export interface SeededPlant {
  /** Intermediate lots: each has parents, children, a run that made it and a decision. */
  middleLots: string[];
  /** Supplier lot codes a recall starts from (ten raw lots each). */
  supplierLotCodes: string[];
  /** A finished lot three levels down, to see the genealogy has been projected. */
  finishedLot: string;
  lots: number;
}

const RAW_LOTS = 100;
const RAW_PER_RUN = 5;
const MIDDLE_PER_RUN = 3;
const MIDDLE_PER_FINISHING_RUN = 6;
const FINISHED_PER_RUN = 4;
/** Raw lots received under one supplier lot code: consecutive deliveries of one supplier batch. */
const RAW_PER_SUPPLIER_LOT = 10;
const CONCURRENCY = 8;

/**
 * A plant of 200 lots in three levels, written through Lotgraph's gateway with the mutations a
 * line uses: 100 raw lots received from two suppliers under ten supplier lot codes; 20 runs each
 * consuming part of 5 raw lots into 3 intermediate lots; 10 runs each consuming part of 6 of those
 * into 4 finished lots; a PASS on every intermediate lot and on half the finished ones, a HOLD on
 * a few (which holds them). Raw and intermediate lots keep stock, so a recall has lots on hand.
 */
export async function seedPlant(gatewayUrl: string, token: string): Promise<SeededPlant> {
  const gql = client(gatewayUrl);
  const id = creator(gql, token);
  const site = await id("createLocation", "location", { code: "BGW-SITE", name: "Bench site", kind: "SITE" });
  const material = (sku: string, kind: string) =>
    id("createMaterial", "material", { sku, name: sku, uom: "kg", kind, tracking: "LOT" });
  const raw = await material("BGW-RAW", "RAW");
  const middle = await material("BGW-MID", "INTERMEDIATE");
  const finished = await material("BGW-FIN", "FINISHED");
  const suppliers = [
    await id("createParty", "party", { code: "BGW-MILL", name: "Mill", kind: "SUPPLIER" }),
    await id("createParty", "party", { code: "BGW-DAIRY", name: "Dairy", kind: "SUPPLIER" }),
  ];
  const gate = await id("createQcGate", "gate", {
    name: "Bench inspection",
    blocking: false,
    criticalControlPoint: false,
    characteristics: [],
  });
  const supplierLotCode = (i: number) => `BGW-SLC-${Math.floor(i / RAW_PER_SUPPLIER_LOT)}`;
  const rawLots = await inParallel(RAW_LOTS, (i) =>
    id("receiveLot", "lot", {
      materialId: raw,
      quantity: "100",
      locationId: site,
      code: `BGW-R-${i}`,
      supplierId: suppliers[Math.floor(i / RAW_PER_SUPPLIER_LOT) % 2],
      supplierLotCode: supplierLotCode(i),
    }),
  );
  const run = async (product: string, inputs: string[], outputs: number, prefix: string): Promise<string[]> => {
    const workOrderId = await id("createWorkOrder", "workOrder", {
      productId: product,
      plannedQuantity: "200",
      phases: [{ name: "Make" }],
    });
    await id("releaseWorkOrder", "workOrder", { workOrderId });
    const runId = await id("startRun", "run", { workOrderId });
    for (const lotId of inputs) await id("consumeLot", "consumption", { runId, lotId, quantity: "30" });
    const made: string[] = [];
    for (let o = 0; o < outputs; o++) {
      const data = await gql<{ recordOutput: { output: { lot: { id: string } } } }>(
        token,
        `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`,
        { input: { runId, quantity: "50", code: `${prefix}-${o}`, locationId: site } },
      );
      made.push(data.recordOutput.output.lot.id);
    }
    return made;
  };
  const middleLots = (
    await inParallel(RAW_LOTS / RAW_PER_RUN, (r) =>
      run(middle, rawLots.slice(r * RAW_PER_RUN, (r + 1) * RAW_PER_RUN), MIDDLE_PER_RUN, `BGW-M-${r}`),
    )
  ).flat();
  const finishedLots = (
    await inParallel(middleLots.length / MIDDLE_PER_FINISHING_RUN, (r) =>
      run(
        finished,
        middleLots.slice(r * MIDDLE_PER_FINISHING_RUN, (r + 1) * MIDDLE_PER_FINISHING_RUN),
        FINISHED_PER_RUN,
        `BGW-F-${r}`,
      ),
    )
  ).flat();
  const decide = (lotId: string, decision: string) =>
    id("recordQcDecision", "decision", { gateId: gate, lotId, decision });
  await inParallel(middleLots.length, (i) => decide(middleLots[i]!, "PASS"));
  await inParallel(finishedLots.length / 2, (i) => decide(finishedLots[i * 2]!, i % 5 === 0 ? "HOLD" : "PASS"));
  return {
    middleLots,
    supplierLotCodes: [...new Set(rawLots.map((_, i) => supplierLotCode(i)))],
    finishedLot: finishedLots.at(-1)!,
    lots: rawLots.length + middleLots.length + finishedLots.length,
  };
}

/** Traceability projects the genealogy from events: waits until a finished lot shows its grandparents. */
export async function waitForGenealogy(gatewayUrl: string, token: string, plant: SeededPlant): Promise<void> {
  const gql = client(gatewayUrl);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const data = await gql<{ lot: { parents: Array<{ parents: unknown[] }> } | null }>(
      token,
      `query ($id: ID!) { lot(id: $id) { parents { parents { id } } } }`,
      { id: plant.finishedLot },
    );
    const grandparents = data.lot?.parents.flatMap((p) => p.parents) ?? [];
    if (grandparents.length >= RAW_PER_RUN) return;
    if (Date.now() > deadline) throw new Error("traceability did not project the genealogy within 120 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `count` calls of `fn`, at most CONCURRENCY at a time, results in order. */
async function inParallel<T>(count: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await fn(i);
    }),
  );
  return results;
}
