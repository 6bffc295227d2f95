import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@lotgraph/kit";
import { createLogger } from "@lotgraph/kit";
import { TraceabilityService } from "../src/domain/traceability-service.ts";
import { applyOrPark } from "../src/projection/projection.ts";
import { SqlGenealogyStore } from "../src/genealogy/sql/sql-genealogy-store.ts";
import { SqlTraceReads } from "../src/facts/sql-trace-reads.ts";
import { events, openTraceDb, testTargets, type Installation, type TraceDb } from "./support.ts";

const viewer: Principal = { id: "u-1", name: "Vera", kind: "user", roles: ["VIEWER"] };

describe.each(testTargets())("as-built and mass balance ($name)", ({ target }) => {
  let db: TraceDb;
  let service: TraceabilityService;
  const [unit, board, chip, screwLot, run] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const [unitLot, boardLot, raw, out] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const install = (
    id: string,
    parent: string,
    serial: string | null,
    lot: string | null,
    at: string,
  ): Installation => ({
    installationId: id,
    parentSerialId: parent,
    componentSerialId: serial,
    componentLotId: lot,
    quantity: "1",
    runId: null,
    installedAt: at,
    removedAt: null,
    removalReason: null,
  });
  const [i1, i2, i3] = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    db = await openTraceDb(target());
    service = new TraceabilityService({
      genealogy: new SqlGenealogyStore(db.client),
      reads: new SqlTraceReads(db.client),
      inventory: { lotFacts: async () => [] },
    });
    const boardInstall = install(i1, unit, board, null, "2026-01-01T10:00:00.000Z");
    const history = [
      events.received(unitLot, "U", null, [{ id: unit, serialNumber: "U-1" }]),
      events.received(boardLot, "B", null, [{ id: board, serialNumber: "B-1" }]),
      events.installed(boardInstall),
      events.installed(install(i2, board, chip, null, "2026-01-01T11:00:00.000Z")),
      events.installed(install(i3, unit, null, screwLot, "2026-01-01T12:00:00.000Z")),
      events.removed(boardInstall, "2026-01-02T10:00:00.000Z"),
      events.received(raw, "RAW", null),
      events.consumed(run, raw, "100"),
      events.output(run, out, "97"),
      events.produced(out, "OUT", run),
    ];
    const logger = createLogger("silent", "test");
    for (const m of history) await db.transaction((tx) => applyOrPark(tx, m, logger));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("gives the component tree valid at a time: removed parts gone, later installs absent", async () => {
    const early = await service.asBuilt(viewer, unit, new Date("2026-01-01T11:30:00.000Z"));
    expect(early).toMatchObject({
      serial: { id: unit },
      lot: { id: unitLot },
      components: [
        { serial: { id: board }, lot: { id: boardLot }, installationId: i1, components: [{ serial: { id: chip } }] },
      ],
    });
    const later = await service.asBuilt(viewer, unit, new Date("2026-01-03T00:00:00.000Z"));
    expect(later?.components).toEqual([
      expect.objectContaining({ serial: null, lot: { id: screwLot }, installationId: i3 }),
    ]);
    expect(await service.asBuilt(viewer, randomUUID(), null)).toBeNull();
  });

  it("balances a run's inputs against its outputs per unit and flags beyond tolerance", async () => {
    const within = await service.massBalance(viewer, run, 5);
    expect(within).toMatchObject({
      flagged: false,
      lines: [{ uom: "kg", difference: "3.000000", percent: 3, scrap: null }],
    });
    expect((await service.massBalance(viewer, run, 2)).flagged).toBe(true);
    await expect(service.massBalance(null, run, 2)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
