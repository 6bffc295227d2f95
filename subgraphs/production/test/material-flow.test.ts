import { SUBJECTS, auditTrail, consumptionRecordedPayload, outputRecordedPayload } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPLETE_RUN, CONSUME_FROM_LOT, CONSUME_LOT, LOT, LOT_RUNS, RECORD_OUTPUT, RUN } from "./documents.ts";
import { basics, receive, runningWorkOrder, unique, type Basics } from "./fixtures.ts";
import { INVENTORY_TABLES, PRODUCTION_TABLES, Plant, events, footprint, type GraphQLResult } from "./harness.ts";

type ConsumeData = { consumeLot: { consumption: { id: string; quantity: string; lot: { id: string } } } };
type OutputData = { recordOutput: { output: { id: string; lot: { id: string }; serials: Array<{ id: string }> } } };
type LotData = { lot: { id: string; quantity: string; status: string } };

describe("production: consuming and producing through inventory", () => {
  let plant: Plant;
  let b: Basics;

  beforeAll(async () => {
    plant = await Plant.start();
    b = await basics(plant);
  });
  afterAll(async () => {
    await plant?.stop();
  });

  const onHand = async (lotId: string) =>
    (await plant.data<LotData>("inventory", LOT, { id: lotId }, b.viewer)).lot.quantity;
  const both = async () => ({
    production: await footprint(plant.production.sql, PRODUCTION_TABLES),
    inventory: await footprint(plant.inventory.sql, INVENTORY_TABLES),
  });
  const codeOf = (result: GraphQLResult<unknown>) => result.errors?.[0]?.extensions?.code;
  /** A refused consumeLot: the code, and nothing changed on either side. */
  const expectRefusal = async (input: Record<string, unknown>, expected: string) => {
    const before = await both();
    const result = await plant.request("production", CONSUME_LOT, { input }, b.operator);
    expect(codeOf(result), JSON.stringify(result.errors)).toBe(expected);
    expect(await both()).toEqual(before);
    return result;
  };

  it("consumes a lot: inventory's on-hand drops, production records the consumption, audit and event", async () => {
    const { runId } = await runningWorkOrder(plant, b);
    const flour = await receive(plant, b, b.flourId, "50");
    const data = await plant.data<ConsumeData>(
      "production",
      CONSUME_LOT,
      { input: { runId, lotId: flour, quantity: "12.250" } },
      b.operator,
    );
    expect(data.consumeLot.consumption).toMatchObject({ quantity: "12.25", lot: { id: flour } });
    expect(await onHand(flour)).toBe("37.75");
    const trail = await auditTrail(plant.production.sql, "ProductionRun", runId);
    expect(trail.map((e) => [e.action, e.actor.name])).toContainEqual(["consumption.recorded", "Otto Operator"]);
    const lots = await plant.data<{ _entities: Array<{ producedBy: unknown; consumedIn: Array<{ id: string }> }> }>(
      "production",
      LOT_RUNS,
      { reps: [{ __typename: "Lot", id: flour }] },
      b.viewer,
    );
    expect(lots._entities[0]).toEqual({ id: flour, producedBy: null, consumedIn: [{ id: runId }] });
  });

  it("refuses a lot outside the bill of materials with BAD_USER_INPUT and changes nothing anywhere", async () => {
    const { runId } = await runningWorkOrder(plant, b, { components: [{ materialId: b.flourId, quantity: "10" }] });
    const sugar = await receive(plant, b, b.sugarId, "10");
    await expectRefusal({ runId, lotId: sugar, quantity: "1" }, "BAD_USER_INPUT");
    expect(await onHand(sugar)).toBe("10");
    // A listed material still goes through.
    const flour = await receive(plant, b, b.flourId, "10");
    await plant.data("production", CONSUME_LOT, { input: { runId, lotId: flour, quantity: "1" } }, b.operator);
  });

  it("passes inventory's LOT_UNAVAILABLE and INSUFFICIENT_QUANTITY through unchanged", async () => {
    const { runId } = await runningWorkOrder(plant, b);
    // Expired while in stock (an expired lot is not received at all).
    const expired = await receive(plant, b, b.flourId, "10");
    await plant.inventory.sql.query("UPDATE lot SET expires_at = '2020-01-01T00:00:00Z' WHERE id = $1::uuid", [
      expired,
    ]);
    await expectRefusal({ runId, lotId: expired, quantity: "1" }, "LOT_UNAVAILABLE");
    const small = await receive(plant, b, b.flourId, "5");
    await expectRefusal({ runId, lotId: small, quantity: "5.000001" }, "INSUFFICIENT_QUANTITY");
    // Emptied by a first consumption, the lot is no longer available at all.
    await plant.data("production", CONSUME_LOT, { input: { runId, lotId: small, quantity: "5" } }, b.operator);
    const result = await plant.request(
      "production",
      CONSUME_LOT,
      { input: { runId, lotId: small, quantity: "1" } },
      b.operator,
    );
    expect(["LOT_UNAVAILABLE", "INSUFFICIENT_QUANTITY"]).toContain(codeOf(result));
  });

  it("refuses a run that is not in progress with CONFLICT, before touching inventory", async () => {
    const { runId } = await runningWorkOrder(plant, b);
    await plant.data("production", COMPLETE_RUN, { input: { runId } }, b.operator);
    const flour = await receive(plant, b, b.flourId, "10");
    await expectRefusal({ runId, lotId: flour, quantity: "1" }, "CONFLICT");
    await expectRefusal({ runId: "00000000-0000-4000-8000-000000000000", lotId: flour, quantity: "1" }, "NOT_FOUND");
    await expectRefusal({ runId, lotId: flour, quantity: "0" }, "BAD_USER_INPUT");
    const output = await plant.request(
      "production",
      RECORD_OUTPUT,
      { input: { runId, quantity: "1", code: unique("OUT"), locationId: b.siteId } },
      b.operator,
    );
    expect(codeOf(output)).toBe("CONFLICT");
  });

  it("consumes once per idempotencyKey, even when inventory committed and the first response was lost", async () => {
    const { runId } = await runningWorkOrder(plant, b);
    const flour = await receive(plant, b, b.flourId, "20");
    const key = "scanner-7:0042";
    const operator = (await plant.tokens.verify(b.operator))!;
    // The first attempt reached inventory, which committed, but production never heard back.
    const internal = await plant.tokens.internalToken("production");
    const lost = await plant.data<{ consumeFromLot: { movementId: string } }>(
      "inventory",
      CONSUME_FROM_LOT,
      {
        input: {
          lotId: flour,
          quantity: "3",
          runId,
          // Exactly what production sends (no bill of materials here), so inventory sees the same request.
          allowedMaterialIds: null,
          idempotencyKey: `consume:${runId}:${operator.id}:${key}`,
          performedBy: { id: operator.id, name: operator.name },
        },
      },
      internal,
    );
    expect(await onHand(flour)).toBe("17");
    const movements = async () =>
      (
        await plant.inventory.sql.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM stock_movement WHERE lot_id = $1::uuid AND kind = 'CONSUMPTION'",
          [flour],
        )
      )[0]?.n;

    const retry = await plant.data<ConsumeData>(
      "production",
      CONSUME_LOT,
      { input: { runId, lotId: flour, quantity: "3", idempotencyKey: key } },
      b.operator,
    );
    const again = await plant.data<ConsumeData>(
      "production",
      CONSUME_LOT,
      { input: { runId, lotId: flour, quantity: "3", idempotencyKey: key } },
      b.operator,
    );
    expect(again.consumeLot.consumption.id).toBe(retry.consumeLot.consumption.id);
    expect(await onHand(flour)).toBe("17");
    expect(await movements()).toBe(1);
    const rows = await plant.production.sql.query<{ movement_id: string }>(
      "SELECT movement_id::text FROM consumption WHERE run_id = $1::uuid",
      [runId],
    );
    expect(rows).toEqual([{ movement_id: lost.consumeFromLot.movementId }]);

    // The same key with another quantity is a different request: CONFLICT, nothing more consumed.
    const before = await both();
    const reused = await plant.request(
      "production",
      CONSUME_LOT,
      { input: { runId, lotId: flour, quantity: "4", idempotencyKey: key } },
      b.operator,
    );
    expect(codeOf(reused)).toBe("CONFLICT");
    expect(await both()).toEqual(before);
  });

  it("records serial-tracked output, links lots both ways and emits complete genealogy events", async () => {
    const { runId } = await runningWorkOrder(plant, b, { productId: b.mixerId, plannedQuantity: "4" });
    const flour = await receive(plant, b, b.flourId, "10");
    const sugar = await receive(plant, b, b.sugarId, "10");
    await plant.data("production", CONSUME_LOT, { input: { runId, lotId: flour, quantity: "2" } }, b.operator);
    const outputVariables = {
      input: {
        runId,
        quantity: "3",
        code: unique("MIX"),
        serialNumbers: ["SN-1", "SN-2", "SN-3"].map(unique),
        locationId: b.siteId,
        idempotencyKey: "out-1",
      },
    };
    const output = await plant.data<OutputData>("production", RECORD_OUTPUT, outputVariables, b.operator);
    const outLot = output.recordOutput.output.lot.id;
    expect(output.recordOutput.output.serials).toHaveLength(3);
    // Retrying the output with its key creates nothing more.
    const retried = await plant.data<OutputData>("production", RECORD_OUTPUT, outputVariables, b.operator);
    expect(retried.recordOutput.output.id).toBe(output.recordOutput.output.id);
    const outputRows = await plant.production.sql.query("SELECT 1 FROM run_output WHERE run_id = $1::uuid", [runId]);
    expect(outputRows).toHaveLength(1);
    await plant.data("production", CONSUME_LOT, { input: { runId, lotId: sugar, quantity: "1.5" } }, b.operator);
    const lot = await plant.data<LotData>("inventory", LOT, { id: outLot }, b.viewer);
    expect(lot.lot).toMatchObject({ quantity: "3", status: "AVAILABLE" });

    const lots = await plant.data<{ _entities: Array<{ producedBy: { id: string } | null }> }>(
      "production",
      LOT_RUNS,
      { reps: [{ __typename: "Lot", id: outLot }] },
      b.viewer,
    );
    expect(lots._entities[0]?.producedBy).toEqual({ id: runId });

    const outputs = (await events(plant.production.sql, SUBJECTS.production.outputRecorded))
      .map((p) => outputRecordedPayload.parse(p))
      .filter((p) => p.runId === runId);
    const consumptions = (await events(plant.production.sql, SUBJECTS.production.consumptionRecorded))
      .map((p) => consumptionRecordedPayload.parse(p))
      .filter((p) => p.runId === runId);
    const first = outputs.find((o) => o.lotId === outLot);
    expect(first).toMatchObject({ inputLotIds: [flour], quantity: "3", materialId: b.mixerId });
    expect(first?.serialIds).toHaveLength(3);
    expect(consumptions.map((c) => [c.lotId, c.outputLotIds])).toEqual([
      [flour, []],
      [sugar, expect.arrayContaining([outLot])],
    ]);
    // Every consumed lot is a parent of every output lot, whichever order events arrive in.
    const edges = new Set<string>();
    for (const o of outputs) for (const input of o.inputLotIds) edges.add(`${input}>${o.lotId}`);
    for (const c of consumptions) for (const out of c.outputLotIds) edges.add(`${c.lotId}>${out}`);
    const allOutputs = outputs.map((o) => o.lotId);
    expect([...edges].sort()).toEqual([flour, sugar].flatMap((i) => allOutputs.map((o) => `${i}>${o}`)).sort());
  });

  it("summarises inputs, outputs and yield per material", async () => {
    const { runId } = await runningWorkOrder(plant, b, { plannedQuantity: "40" });
    const flourA = await receive(plant, b, b.flourId, "30");
    const flourB = await receive(plant, b, b.flourId, "30");
    const sugar = await receive(plant, b, b.sugarId, "5");
    for (const [lotId, quantity] of [
      [flourA, "20.5"],
      [flourB, "4.25"],
      [sugar, "0.125"],
      [flourA, "1"],
    ] as const)
      await plant.data("production", CONSUME_LOT, { input: { runId, lotId, quantity } }, b.operator);
    for (const quantity of ["18", "12.4"])
      await plant.data(
        "production",
        RECORD_OUTPUT,
        { input: { runId, quantity, code: unique("BREAD"), locationId: b.siteId } },
        b.operator,
      );
    const run = await plant.data<{
      run: {
        consumptions: unknown[];
        outputs: unknown[];
        summary: {
          inputs: Array<{ material: { id: string }; quantity: string; lotCount: number }>;
          outputs: Array<{ material: { id: string }; quantity: string; lotCount: number }>;
          yields: Array<{ material: { id: string }; planned: string; actual: string; yield: string }>;
        };
      };
    }>("production", RUN, { id: runId }, b.viewer);
    expect(run.run.consumptions).toHaveLength(4);
    expect(run.run.outputs).toHaveLength(2);
    const byMaterial = Object.fromEntries(run.run.summary.inputs.map((i) => [i.material.id, i]));
    expect(byMaterial[b.flourId]).toMatchObject({ quantity: "25.75", lotCount: 2 });
    expect(byMaterial[b.sugarId]).toMatchObject({ quantity: "0.125", lotCount: 1 });
    expect(run.run.summary.outputs).toEqual([{ material: { id: b.breadId }, quantity: "30.4", lotCount: 2 }]);
    expect(run.run.summary.yields).toEqual([
      { material: { id: b.breadId }, planned: "40", actual: "30.4", yield: "0.7600" },
    ]);
  });
});
