import { describe, expect, it } from "vitest";
import { computeExposure } from "./compute-exposure.ts";
import type { ExposureFlows, ExposureReads, RunInputRow, RunOutputRow } from "./exposure-reads.ts";

/**
 * A plant as plain rows, read as the SQL reads do: the descendants over run links, the flows of a
 * set of lots by the same filters. The cases are worked by hand in the comments.
 */
class Plant {
  readonly flows: ExposureFlows = { lots: [], runOutputs: [], runInputs: [], shipments: [], serials: [] };
  #clock = Date.parse("2026-03-01T08:00:00.000Z");

  lot(lotId: string, quantity: string | null, uom: string | null = "kg"): this {
    this.flows.lots.push({ lotId, quantity, uom });
    return this;
  }

  run(runId: string, inputs: Array<[string, string]>, outputs: Array<[string, string | null]>): this {
    const uomOf = (lotId: string) => this.flows.lots.find((l) => l.lotId === lotId)?.uom ?? null;
    for (const [lotId, quantity] of inputs) this.flows.runInputs.push({ runId, lotId, quantity, uom: uomOf(lotId) });
    for (const [lotId, quantity] of outputs) this.flows.runOutputs.push({ runId, lotId, quantity });
    return this;
  }

  ship(shipmentId: string, customerId: string, lines: Array<[string, string]>): this {
    const shippedAt = new Date((this.#clock += 60_000));
    for (const [lotId, quantity] of lines)
      this.flows.shipments.push({ shipmentId, customerId, shippedAt, lotId, quantity });
    return this;
  }

  serial(serialId: string, lotId: string): this {
    this.flows.serials.push({ serialId, lotId, serialNumber: serialId });
    return this;
  }

  reads(): ExposureReads {
    const { flows } = this;
    const childrenOf = (lotId: string) => {
      const runs = new Set(flows.runInputs.filter((i) => i.lotId === lotId).map((i) => i.runId));
      return flows.runOutputs.filter((o) => runs.has(o.runId)).map((o) => o.lotId);
    };
    return {
      async descendants(lotIds) {
        const seen = new Set<string>();
        const queue = [...lotIds];
        for (let lotId = queue.shift(); lotId !== undefined; lotId = queue.shift()) {
          const fresh = childrenOf(lotId).filter((child) => !seen.has(child));
          fresh.forEach((child) => seen.add(child));
          queue.push(...fresh);
        }
        return [...seen];
      },
      async flowsOf(lotIds) {
        const ids = new Set(lotIds);
        const runOutputs = flows.runOutputs.filter((o) => ids.has(o.lotId));
        const runs = new Set(runOutputs.map((o) => o.runId));
        return {
          lots: flows.lots.filter((l) => ids.has(l.lotId)),
          runOutputs,
          runInputs: flows.runInputs.filter((i) => runs.has(i.runId)),
          shipments: flows.shipments.filter((s) => ids.has(s.lotId)),
          serials: flows.serials.filter((s) => ids.has(s.lotId)),
        };
      },
    };
  }

  async exposure(...sources: string[]) {
    const view = await computeExposure(this.reads(), sources);
    const lot = (lotId: string) => view.lots.find((l) => l.lot.id === lotId);
    return { view, lot, fraction: (lotId: string) => lot(lotId)?.fraction };
  }
}

describe("computeExposure: the allocation of decision 0023 on hand-worked plants", () => {
  it("passes inputs on by consumption share: 30 kg A + 70 kg B → 100 kg is 0.3 A", async () => {
    const plant = new Plant()
      .lot("A", "30")
      .lot("B", "70")
      .lot("O", "100")
      .run(
        "r",
        [
          ["A", "30"],
          ["B", "70"],
        ],
        [["O", "100"]],
      );
    const { view } = await plant.exposure("A");
    expect(view.lots).toEqual([
      {
        lot: { id: "A" },
        fraction: "1.000000",
        quantityOfSource: "30.000000",
        quantity: "30.000000",
        uom: "kg",
        depth: 0,
      },
      {
        lot: { id: "O" },
        fraction: "0.300000",
        quantityOfSource: "30.000000",
        quantity: "100.000000",
        uom: "kg",
        depth: 1,
      },
    ]);
    expect(view.sourceQuantity).toEqual([{ quantity: "30.000000", uom: "kg" }]);
  });

  it("takes loss from every input alike: 30 + 70 → 90 kg is still 0.3, 27 kg of source", async () => {
    const plant = new Plant()
      .lot("A", "30")
      .lot("B", "70")
      .lot("O", "90")
      .run(
        "r",
        [
          ["A", "30"],
          ["B", "70"],
        ],
        [["O", "90"]],
      );
    const { lot } = await plant.exposure("A");
    expect(lot("O")).toMatchObject({ fraction: "0.300000", quantityOfSource: "27.000000" });
  });

  it("ignores inputs in another unit: labels in ea do not dilute flour in kg", async () => {
    const plant = new Plant()
      .lot("FLOUR", "30")
      .lot("SUGAR", "70")
      .lot("LABELS", "500", "ea")
      .lot("CAKE", "95")
      .run(
        "r",
        [
          ["FLOUR", "30"],
          ["SUGAR", "70"],
          ["LABELS", "500"],
        ],
        [["CAKE", "95"]],
      );
    expect((await plant.exposure("FLOUR")).fraction("CAKE")).toBe("0.300000");
    // The labels are every ea the run consumed: from them, the cake is all label.
    expect((await plant.exposure("LABELS")).fraction("CAKE")).toBe("1.000000");
  });

  it("takes the largest share when source reaches a run in more than one unit", async () => {
    // kg: 30 of 100 is source (0.3); ea: 10 of 40 (0.25). The recall overstates, never understates.
    const plant = new Plant()
      .lot("S1", "30")
      .lot("S2", "10", "ea")
      .lot("X", "70")
      .lot("Y", "30", "ea")
      .lot("O", "50")
      .run(
        "r",
        [
          ["S1", "30"],
          ["X", "70"],
          ["S2", "10"],
          ["Y", "30"],
        ],
        [["O", "50"]],
      );
    expect((await plant.exposure("S1", "S2")).fraction("O")).toBe("0.300000");
  });

  it("gives every output of a split the run's share", async () => {
    const plant = new Plant()
      .lot("A", "50")
      .lot("B", "50")
      .run(
        "r",
        [
          ["A", "50"],
          ["B", "50"],
        ],
        [
          ["O1", "60"],
          ["O2", "30"],
        ],
      )
      .lot("O1", "60")
      .lot("O2", "30");
    const { lot } = await plant.exposure("A");
    expect(lot("O1")).toMatchObject({ fraction: "0.500000", quantityOfSource: "30.000000" });
    expect(lot("O2")).toMatchObject({ fraction: "0.500000", quantityOfSource: "15.000000" });
  });

  it("adds two source lots merged in one run (a supplier lot code received twice)", async () => {
    const plant = new Plant()
      .lot("S1", "20")
      .lot("S2", "30", "kg")
      .lot("X", "50")
      .lot("O", "100")
      .run(
        "r",
        [
          ["S1", "20"],
          ["S2", "30"],
          ["X", "50"],
        ],
        [["O", "100"]],
      );
    const { view, fraction } = await plant.exposure("S1", "S2");
    expect(fraction("O")).toBe("0.500000");
    expect(view.lots.map((l) => [l.lot.id, l.depth])).toEqual([
      ["S1", 0],
      ["S2", 0],
      ["O", 1],
    ]);
    expect(view.sourceQuantity).toEqual([{ quantity: "50.000000", uom: "kg" }]);
  });

  it("multiplies shares down the levels and counts depth as the fewest runs", async () => {
    // M = 30 / 100 A = 0.3; P = 40 × 0.3 / (40 + 60) = 0.12; Q takes A directly too:
    // (10 × 1 + 10 × 0.12) / 20 = 0.56, at depth 1 though it is also two runs below M.
    const plant = new Plant()
      .lot("A", "100")
      .lot("B", "70")
      .lot("C", "60")
      .lot("M", "100")
      .lot("P", "100")
      .lot("Q", "20")
      .run(
        "r1",
        [
          ["A", "30"],
          ["B", "70"],
        ],
        [["M", "100"]],
      )
      .run(
        "r2",
        [
          ["M", "40"],
          ["C", "60"],
        ],
        [["P", "100"]],
      )
      .run(
        "r3",
        [
          ["A", "10"],
          ["P", "10"],
        ],
        [["Q", "20"]],
      );
    const { lot } = await plant.exposure("A");
    expect(lot("M")).toMatchObject({ fraction: "0.300000", depth: 1 });
    expect(lot("P")).toMatchObject({ fraction: "0.120000", quantityOfSource: "12.000000", depth: 2 });
    expect(lot("Q")).toMatchObject({ fraction: "0.560000", quantityOfSource: "11.200000", depth: 1 });
  });

  it("weights a lot output by several runs by what each output of it", async () => {
    // r1 is all source and output 30 of O; r2 none and output 70: O is 0.3.
    const plant = new Plant()
      .lot("A", "10")
      .lot("B", "10")
      .lot("O", "100")
      .run("r1", [["A", "10"]], [["O", "30"]])
      .run("r2", [["B", "10"]], [["O", "70"]]);
    expect((await plant.exposure("A")).fraction("O")).toBe("0.300000");
    // When a run's output of it is unknown, the weights are: the largest fraction stands.
    plant.flows.runOutputs[1] = { runId: "r2", lotId: "O", quantity: null };
    expect((await plant.exposure("A")).fraction("O")).toBe("1.000000");
  });

  it("keeps a partly consumed source lot whole: only what was consumed is shared", async () => {
    const plant = new Plant()
      .lot("A", "100")
      .lot("B", "60")
      .lot("O", "100")
      .run(
        "r",
        [
          ["A", "40"],
          ["B", "60"],
        ],
        [["O", "100"]],
      );
    const { lot } = await plant.exposure("A");
    expect(lot("A")).toMatchObject({ fraction: "1.000000", quantityOfSource: "100.000000", quantity: "100.000000" });
    expect(lot("O")?.fraction).toBe("0.400000");
  });

  it("is exact until shown: thirds add up before they are rounded", async () => {
    // O1 and O2 are each 1/3 source; 3 shipments of 1 kg of each: 6 × 1/3 = 2, not 6 × 0.333333.
    const plant = new Plant()
      .lot("A", "1")
      .lot("B", "2")
      .lot("O1", "10")
      .lot("O2", "10")
      .run(
        "r",
        [
          ["A", "1"],
          ["B", "2"],
        ],
        [
          ["O1", "10"],
          ["O2", "10"],
        ],
      )
      .ship("s1", "c", [
        ["O1", "1"],
        ["O2", "1"],
      ])
      .ship("s2", "c", [
        ["O1", "1"],
        ["O2", "1"],
      ])
      .ship("s3", "c", [
        ["O1", "1"],
        ["O2", "1"],
      ]);
    const { view, lot } = await plant.exposure("A");
    expect(lot("O1")).toMatchObject({ fraction: "0.333333", quantityOfSource: "3.333333" });
    expect(view.customers).toEqual([
      {
        customer: { id: "c" },
        shipments: [{ id: "s1" }, { id: "s2" }, { id: "s3" }],
        quantityOfSource: "2.000000",
        uom: "kg",
      },
    ]);
  });

  it("sums each customer's Σ fraction × quantity shipped per unit, most exposed first", async () => {
    const plant = new Plant()
      .lot("A", "30")
      .lot("B", "70")
      .lot("O", "100")
      .lot("PACKS", "10", "ea")
      .run(
        "r",
        [
          ["A", "30"],
          ["B", "70"],
        ],
        [["O", "100"]],
      )
      .run("pack", [["O", "100"]], [["PACKS", "10"]])
      .ship("late", "small", [["O", "10"]])
      .ship("early", "big", [
        ["A", "5"],
        ["O", "50"],
      ])
      .ship("packs", "big", [["PACKS", "4"]])
      .ship("unrelated", "other", [["B", "70"]])
      .serial("P-2", "PACKS")
      .serial("P-1", "PACKS");
    const { view } = await plant.exposure("A");
    expect(view.customers).toEqual([
      { customer: { id: "big" }, shipments: [{ id: "early" }], quantityOfSource: "20.000000", uom: "kg" },
      { customer: { id: "small" }, shipments: [{ id: "late" }], quantityOfSource: "3.000000", uom: "kg" },
      { customer: { id: "big" }, shipments: [{ id: "packs" }], quantityOfSource: "1.200000", uom: "ea" },
    ]);
    expect(view.serials).toEqual([
      { serial: { id: "P-1" }, lot: { id: "PACKS" }, fraction: "0.300000" },
      { serial: { id: "P-2" }, lot: { id: "PACKS" }, fraction: "0.300000" },
    ]);
  });

  it("keeps a source lot whole even when it is made from another source", async () => {
    const plant = new Plant()
      .lot("A", "10")
      .lot("B", "10")
      .lot("C", "20")
      .run(
        "r",
        [
          ["A", "10"],
          ["B", "10"],
        ],
        [["C", "20"]],
      );
    const { lot } = await plant.exposure("A", "C");
    expect(lot("C")).toMatchObject({ fraction: "1.000000", depth: 0 });
  });

  it("answers nothing for no source, and a lot nothing was made from alone", async () => {
    expect((await new Plant().exposure()).view).toEqual({ lots: [], serials: [], customers: [], sourceQuantity: [] });
    const alone = await new Plant().lot("A", "5", "L").exposure("A");
    expect(alone.view.lots).toEqual([
      {
        lot: { id: "A" },
        fraction: "1.000000",
        quantityOfSource: "5.000000",
        quantity: "5.000000",
        uom: "L",
        depth: 0,
      },
    ]);
  });

  it("refuses run links that form a cycle: a broken genealogy must not read as an answer", async () => {
    const broken: ExposureReads = {
      descendants: async () => ["X", "Y"],
      flowsOf: async () => ({
        lots: [],
        runOutputs: [
          { runId: "r1", lotId: "Y", quantity: "1" },
          { runId: "r2", lotId: "X", quantity: "1" },
        ] satisfies RunOutputRow[],
        runInputs: [
          { runId: "r1", lotId: "X", quantity: "1", uom: "kg" },
          { runId: "r2", lotId: "Y", quantity: "1", uom: "kg" },
        ] satisfies RunInputRow[],
        shipments: [],
        serials: [],
      }),
    };
    await expect(computeExposure(broken, ["S"])).rejects.toThrow(/cycle/);
  });
});
