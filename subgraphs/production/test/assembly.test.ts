import { randomUUID } from "node:crypto";
import { SUBJECTS, auditTrail, componentInstallationPayload } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALL, INSTALLATIONS, RECORD_OUTPUT, REMOVE } from "./documents.ts";
import { basics, receive, runningWorkOrder, unique, type Basics } from "./fixtures.ts";
import { Plant, events } from "./harness.ts";

type Installed = {
  installComponent: {
    installation: {
      id: string;
      parent: { id: string };
      componentSerial: { id: string } | null;
      componentLot: { id: string } | null;
      quantity: string;
      run: { id: string } | null;
      removedAt: string | null;
    };
  };
};

describe("production: serial assembly (as-built)", () => {
  let plant: Plant;
  let b: Basics;
  let runId: string;
  let serials: string[];

  beforeAll(async () => {
    plant = await Plant.start();
    b = await basics(plant);
    ({ runId } = await runningWorkOrder(plant, b, { productId: b.mixerId, plannedQuantity: "4" }));
    const output = await plant.data<{ recordOutput: { output: { serials: Array<{ id: string }> } } }>(
      "production",
      RECORD_OUTPUT,
      {
        input: {
          runId,
          quantity: "4",
          code: unique("MIX"),
          serialNumbers: ["A", "B", "C", "D"].map(unique),
          locationId: b.siteId,
        },
      },
      b.operator,
    );
    serials = output.recordOutput.output.serials.map((s) => s.id);
  });
  afterAll(async () => {
    await plant?.stop();
  });

  const install = (input: Record<string, unknown>) =>
    plant.request<Installed>("production", INSTALL, { input }, b.operator);
  const codeOf = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
    result.errors?.[0]?.extensions?.code;

  it("installs a serial and a lot quantity into a parent, then removes one with a reason", async () => {
    const [parent, component] = serials as [string, string];
    const screws = await receive(plant, b, b.sugarId, "100");
    const first = await install({ parentSerialId: parent, componentSerialId: component, runId });
    expect(first.data?.installComponent.installation).toMatchObject({
      parent: { id: parent },
      componentSerial: { id: component },
      componentLot: null,
      quantity: "1",
      run: { id: runId },
      removedAt: null,
    });
    const lotPart = await install({ parentSerialId: parent, componentLotId: screws, quantity: "4" });
    expect(lotPart.data?.installComponent.installation).toMatchObject({ componentLot: { id: screws }, quantity: "4" });

    // Already installed: CONFLICT until removed.
    expect(codeOf(await install({ parentSerialId: serials[2], componentSerialId: component }))).toBe("CONFLICT");
    const installationId = first.data!.installComponent.installation.id;
    const removed = await plant.data<{
      removeComponent: { installation: { removedAt: string; removalReason: string } };
    }>("production", REMOVE, { input: { installationId, reason: "bearing noise" } }, b.operator);
    expect(removed.removeComponent.installation).toMatchObject({ removalReason: "bearing noise" });
    const again = await plant.request("production", REMOVE, { input: { installationId, reason: "x" } }, b.operator);
    expect(codeOf(again)).toBe("CONFLICT");
    expect((await install({ parentSerialId: serials[2], componentSerialId: component })).errors).toBeUndefined();

    const all = await plant.data<{ installations: unknown[] }>("production", INSTALLATIONS, { parent }, b.viewer);
    const current = await plant.data<{ installations: unknown[] }>(
      "production",
      INSTALLATIONS,
      { parent, current: true },
      b.viewer,
    );
    expect([all.installations.length, current.installations.length]).toEqual([2, 1]);

    const trail = await auditTrail(plant.production.sql, "Installation", installationId);
    expect(trail.map((e) => [e.action, e.reason])).toEqual([
      ["component.installed", null],
      ["component.removed", "bearing noise"],
    ]);
    const removedEvents = (await events(plant.production.sql, SUBJECTS.production.componentRemoved)).map((p) =>
      componentInstallationPayload.parse(p),
    );
    expect(removedEvents).toEqual([
      expect.objectContaining({
        installationId,
        parentSerialId: parent,
        componentSerialId: component,
        removalReason: "bearing noise",
      }),
    ]);
  });

  it("refuses cycles, unknown serials and ambiguous components", async () => {
    const [, , c, d] = serials as [string, string, string, string];
    expect((await install({ parentSerialId: c, componentSerialId: d })).errors).toBeUndefined();
    expect(codeOf(await install({ parentSerialId: d, componentSerialId: c }))).toBe("GENEALOGY_CYCLE");
    expect(codeOf(await install({ parentSerialId: d, componentSerialId: d }))).toBe("GENEALOGY_CYCLE");
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(codeOf(await install({ parentSerialId: unknown, componentSerialId: c }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await install({ parentSerialId: c }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await install({ parentSerialId: c, componentLotId: unknown }))).toBe("BAD_USER_INPUT");
  });

  it("refuses to build in a component whose lot is held, quarantined or expired", async () => {
    const [parent] = serials as [string];
    const internal = await plant.tokens.internalToken("quality");
    const held = await receive(plant, b, b.sugarId, "10");
    await plant.data(
      "inventory",
      `mutation ($input: SetLotHoldInput!) { setLotHold(input: $input) { lots { id } } }`,
      { input: { lotIds: [held], holdId: randomUUID(), reason: "suspect", idempotencyKey: unique("hold") } },
      internal,
    );
    const refused = await install({ parentSerialId: parent, componentLotId: held, quantity: "1" });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "LOT_UNAVAILABLE", lotId: held, status: "ON_HOLD" });
    const expired = await receive(plant, b, b.sugarId, "10");
    await plant.inventory.sql.query("UPDATE lot SET expires_at = now() - interval '1 day' WHERE id = $1::uuid", [
      expired,
    ]);
    expect(codeOf(await install({ parentSerialId: parent, componentLotId: expired, quantity: "1" }))).toBe(
      "LOT_UNAVAILABLE",
    );
  });
});
