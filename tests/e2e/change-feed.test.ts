import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE } from "../support/lotgraph.ts";
import { LotgraphProcess } from "../support/lotgraph-process.ts";
import { create, hireCrew } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

const CHANGES = `query ($after: String, $first: Int, $subjects: [String!]) {
  changes(after: $after, first: $first, subjects: $subjects) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { cursor id subject service occurredAt entityType entityId payload } }
  }
}`;

interface Change {
  cursor: string;
  id: string;
  subject: string;
  service: string;
  occurredAt: string;
  entityType: string;
  entityId: string;
  payload: Record<string, unknown>;
}
interface ChangesPage {
  changes: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string };
    edges: Array<{ cursor: string; node: Change }>;
  };
}

/** Reads the feed from `after` to its end, `first` at a time, as an integrator's poller would. */
async function readAll(
  client: TestClient,
  after: string | null,
  options: { first?: number; subjects?: string[] } = {},
): Promise<{ changes: Change[]; cursor: string | null; totalCount: number }> {
  const changes: Change[] = [];
  let cursor = after;
  let totalCount = 0;
  for (;;) {
    const { changes: page } = await client.expectData<ChangesPage>(CHANGES, {
      after: cursor,
      first: options.first ?? 7,
      subjects: options.subjects ?? null,
    });
    totalCount = page.totalCount;
    changes.push(...page.edges.map((edge) => edge.node));
    for (const edge of page.edges) expect(edge.cursor).toBe(edge.node.cursor);
    cursor = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return { changes, cursor, totalCount };
  }
}

/** Issue 20: an integrator reads every change since its cursor, once, across a restart. */
describe(`the change feed (${TEST_MODE} mode)`, () => {
  let lotgraph: LotgraphProcess;
  let anonymous: TestClient;
  let admin: TestClient;
  let viewer: TestClient;
  const ids: Record<string, string> = {};

  async function signIn(gatewayUrl: string) {
    anonymous = new TestClient(gatewayUrl);
    const child = lotgraph.current!;
    admin = anonymous.as(await anonymous.login(child.admin.email, child.admin.password!));
    viewer = anonymous.as(await anonymous.login("viewer-feed@plant.test", "viewer-password-feed"));
  }

  beforeAll(async () => {
    lotgraph = await LotgraphProcess.create();
    const child = await lotgraph.start();
    anonymous = new TestClient(child.gatewayUrl);
    admin = anonymous.as(await anonymous.login(child.admin.email, child.admin.password!));
    await create(
      admin,
      "createUser",
      { email: "viewer-feed@plant.test", name: "Viewer", roles: ["VIEWER"], password: "viewer-password-feed" },
      "user",
    );
    await signIn(child.gatewayUrl);
    const crew = await hireCrew(anonymous, admin, "feed");
    ids.flour = await create(
      crew.manager,
      "createMaterial",
      { sku: "CF-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    ids.site = await create(
      crew.manager,
      "createLocation",
      { code: "CF-SITE", name: "Site", kind: "SITE" },
      "location",
    );
    ids.mill = await create(crew.manager, "createParty", { code: "CF-MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.line = await create(crew.manager, "createLine", { code: "CF-L1", name: "Line 1" }, "line");
    for (const code of ["CF-LOT-1", "CF-LOT-2", "CF-LOT-3"])
      ids[code] = await create(
        crew.operator,
        "receiveLot",
        { materialId: ids.flour, quantity: "25", locationId: ids.site, code, supplierId: ids.mill },
        "lot",
      );
    await crew.manager.expectData(`mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, {
      input: { lotId: ids["CF-LOT-3"], reason: "moisture", propagate: false },
    });
  }, 120_000);
  afterAll(async () => lotgraph?.cleanup());

  let firstRead: Change[] = [];
  let cursor: string | null = null;

  it("gives every change of every service once, each service's in the order it made them", async () => {
    // A change is in the feed once every transaction that began before it has ended (on PostgreSQL,
    // anywhere on the server): an integrator's poller sees it on one of its next reads.
    const read = await eventually(
      async () => {
        const all = await readAll(admin, null);
        expect(all.changes.map((change) => change.subject)).toContain("lotgraph.inventory.lot.held");
        return all;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    firstRead = read.changes;
    cursor = read.cursor;
    expect(new Set(firstRead.map((change) => change.id)).size).toBe(firstRead.length);
    expect(read.totalCount).toBe(firstRead.length);
    const subjects = new Set(firstRead.map((change) => change.subject));
    for (const subject of [
      "lotgraph.identity.user.created",
      "lotgraph.inventory.material.created",
      "lotgraph.inventory.location.created",
      "lotgraph.inventory.party.created",
      "lotgraph.inventory.lot.received",
      "lotgraph.production.line.created",
      "lotgraph.quality.hold.placed",
      "lotgraph.inventory.lot.held",
    ])
      expect(subjects, subject).toContain(subject);
    const received = firstRead.filter((change) => change.subject === "lotgraph.inventory.lot.received");
    expect(received.map((change) => change.entityId)).toEqual([ids["CF-LOT-1"], ids["CF-LOT-2"], ids["CF-LOT-3"]]);
    expect(received[0]).toMatchObject({ service: "inventory", entityType: "Lot" });
    // Within a service: the material was made before the lots received of it, the hold after.
    const at = (predicate: (change: Change) => boolean) => firstRead.findIndex(predicate);
    expect(at((c) => c.entityId === ids.flour)).toBeLessThan(at((c) => c.entityId === ids["CF-LOT-1"]));
    expect(at((c) => c.subject === "lotgraph.inventory.lot.received" && c.entityId === ids["CF-LOT-3"])).toBeLessThan(
      at((c) => c.subject === "lotgraph.inventory.lot.held"),
    );
    // Paging does not change what is read: one page of everything says the same.
    const whole = await admin.expectData<ChangesPage>(CHANGES, { first: 1000 });
    expect(whole.changes.edges.map((edge) => edge.node.id)).toEqual(firstRead.map((change) => change.id));
  });

  it("keeps only the subjects asked for, patterns included", async () => {
    const lots = await readAll(admin, null, { subjects: ["lotgraph.inventory.lot.*"] });
    expect(lots.changes.length).toBeGreaterThanOrEqual(4);
    expect(lots.changes.every((change) => change.subject.startsWith("lotgraph.inventory.lot."))).toBe(true);
    expect(lots.totalCount).toBe(lots.changes.length);
    const quality = await readAll(admin, null, {
      subjects: ["lotgraph.quality.>", "lotgraph.production.line.created"],
    });
    expect(new Set(quality.changes.map((change) => change.subject))).toEqual(
      new Set(["lotgraph.quality.hold.placed", "lotgraph.production.line.created"]),
    );
  });

  it("leaves identity's changes to auditors and admins", async () => {
    const read = await readAll(viewer, null, { first: 50 });
    expect(read.changes.length).toBeGreaterThan(0);
    expect(read.changes.some((change) => change.service === "identity")).toBe(false);
    expect(read.changes.map((change) => change.id)).toEqual(
      firstRead.filter((change) => change.service !== "identity").map((change) => change.id),
    );
  });

  it("refuses a bad cursor, page size or pattern, and a caller without a token", async () => {
    expect(await admin.expectErrorCode(CHANGES, { after: "not-a-cursor" })).toBe("BAD_USER_INPUT");
    const forged = Buffer.from(JSON.stringify({ v: 1, p: { billing: "1:1" } })).toString("base64url");
    expect(await admin.expectErrorCode(CHANGES, { after: forged })).toBe("BAD_USER_INPUT");
    expect(await admin.expectErrorCode(CHANGES, { first: 0 })).toBe("BAD_USER_INPUT");
    expect(await admin.expectErrorCode(CHANGES, { first: 1001 })).toBe("BAD_USER_INPUT");
    expect(await admin.expectErrorCode(CHANGES, { subjects: ["lotgraph..lot"] })).toBe("BAD_USER_INPUT");
    expect(await admin.expectErrorCode(CHANGES, { subjects: ["lotgraph.(.*)"] })).toBe("BAD_USER_INPUT");
    expect(await anonymous.expectErrorCode(CHANGES, {})).toBe("UNAUTHENTICATED");
  });

  it("after the whole system is killed and started again, reads on from its cursor: only what is new, once", async () => {
    expect(cursor).not.toBeNull();
    await lotgraph.kill();
    const child = await lotgraph.start();
    await signIn(child.gatewayUrl);

    const idle = await readAll(admin, cursor);
    expect(idle.changes).toEqual([]);
    expect(idle.cursor).toBe(cursor);

    const lot = await create(
      admin,
      "receiveLot",
      { materialId: ids.flour, quantity: "5", locationId: ids.site, code: "CF-LOT-4", supplierId: ids.mill },
      "lot",
    );
    const next = await eventually(
      async () => {
        const read = await readAll(admin, cursor);
        expect(read.changes.map((change) => [change.subject, change.entityId])).toEqual([
          ["lotgraph.inventory.lot.received", lot],
        ]);
        return read;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(next.changes[0]!.payload).toMatchObject({ code: "CF-LOT-4" });
    const again = await readAll(admin, null, { first: 1000 });
    expect(again.changes.map((change) => change.id)).toEqual([...firstRead, ...next.changes].map((c) => c.id));
  }, 120_000);
});
