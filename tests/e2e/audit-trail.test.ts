import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../support/csv.ts";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const TRAIL = `query ($filter: AuditTrailFilter, $first: Int, $after: String) {
  auditTrail(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { subgraph seq at actor { id name user { id } } action entityType entityId summary reason before after hash prevHash } }
  }
}`;
const CHAIN = `{ auditChainStatus { subgraph length headHash verified firstBrokenSeq checkedAt } }`;

interface Entry {
  subgraph: string;
  seq: number;
  at: string;
  actor: { id: string; name: string; user: { id: string } | null };
  action: string;
  entityType: string;
  entityId: string;
  summary: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  hash: string;
  prevHash: string;
}
interface TrailData {
  auditTrail: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: Entry }>;
  };
}
interface ChainData {
  auditChainStatus: Array<{
    subgraph: string;
    length: number;
    headHash: string | null;
    verified: boolean;
    firstBrokenSeq: number | null;
  }>;
}

/**
 * Issue 13, through the gateway: the audit trail an auditor can read. Every subgraph's
 * hash-chained log, merged newest first, filtered and paged; each chain verified on demand (a row
 * edited behind the application's back is reported at its seq); and the CSV of a filtered trail.
 */
describe(`the audit trail, readable and verifiable (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let auditor: TestClient;
  let operator: TestClient;
  let auditorToken: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    await create(
      admin,
      "createUser",
      { email: "ann@audit.test", name: "Ann Auditor", roles: ["AUDITOR"], password: "auditor-password-1" },
      "user",
    );
    await create(
      admin,
      "createUser",
      { email: "oli@audit.test", name: "Oli Operator", roles: ["OPERATOR"], password: "operator-password-1" },
      "user",
    );
    auditorToken = await anonymous.login("ann@audit.test", "auditor-password-1");
    auditor = anonymous.as(auditorToken);
    operator = anonymous.as(await anonymous.login("oli@audit.test", "operator-password-1"));
    ids.site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.flour = await create(
      admin,
      "createMaterial",
      { sku: "FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    for (const code of ["A-1", "A-2", "A-3"])
      ids[code] = await create(
        operator,
        "receiveLot",
        { code, materialId: ids.flour, quantity: "10", locationId: ids.site },
        "lot",
      );
    ids.gate = await create(
      admin,
      "createQcGate",
      { name: "Visual", blocking: false, criticalControlPoint: false, characteristics: [] },
      "gate",
    );
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  it("merges every subgraph's log newest first, filters it, and pages through it without gaps or repeats", async () => {
    const all = (await auditor.expectData<TrailData>(TRAIL, { first: 500 })).auditTrail;
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(all.totalCount).toBe(all.edges.length);
    expect(new Set(all.edges.map((e) => e.node.subgraph))).toEqual(new Set(["identity", "inventory", "quality"]));
    const times = all.edges.map((e) => Date.parse(e.node.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Within one log, newest first is descending seq, and each entry links to the one before it.
    const inventory = all.edges.map((e) => e.node).filter((n) => n.subgraph === "inventory");
    expect(inventory.map((n) => n.seq)).toEqual([...inventory.map((n) => n.seq)].sort((a, b) => b - a));
    for (let i = 0; i < inventory.length - 1; i++) expect(inventory[i]!.prevHash).toBe(inventory[i + 1]!.hash);

    const received = all.edges.find((e) => e.node.action === "lot.received" && e.node.entityId === ids["A-2"])!.node;
    expect(received).toMatchObject({
      subgraph: "inventory",
      entityType: "Lot",
      actor: { name: "Oli Operator", user: { id: received.actor.id } },
      after: expect.objectContaining({ code: "A-2", quantity: "10" }),
    });
    expect(received.summary).toContain("lot.received");
    expect(received.summary).toContain("code A-2");

    // Three at a time, across subgraphs: the same entries, in the same order.
    const paged: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const data: TrailData = await auditor.expectData<TrailData>(TRAIL, { first: 3, after });
      paged.push(...data.auditTrail.edges.map((e) => `${e.node.subgraph}:${e.node.seq}`));
      if (!data.auditTrail.pageInfo.hasNextPage) break;
      after = data.auditTrail.pageInfo.endCursor;
    }
    expect(paged).toEqual(all.edges.map((e) => `${e.node.subgraph}:${e.node.seq}`));

    const byOperator = (await auditor.expectData<TrailData>(TRAIL, { filter: { actorId: received.actor.id } }))
      .auditTrail;
    // Newest first: the operator's three receipts, then the sign-in that began their session.
    expect(byOperator.edges.map((e) => e.node.action)).toEqual([
      "lot.received",
      "lot.received",
      "lot.received",
      "user.signedIn",
    ]);
    const oneLot = (await auditor.expectData<TrailData>(TRAIL, { filter: { entityType: "Lot", entityId: ids["A-1"] } }))
      .auditTrail;
    expect(oneLot.edges.map((e) => e.node.entityId)).toEqual([ids["A-1"]]);
    const quality = (await auditor.expectData<TrailData>(TRAIL, { filter: { subgraph: "quality" } })).auditTrail;
    expect(quality.edges.map((e) => e.node.action)).toEqual(["qcGate.created"]);
    const window = (
      await auditor.expectData<TrailData>(TRAIL, {
        filter: { from: received.at, to: new Date(Date.parse(received.at) + 1).toISOString() },
      })
    ).auditTrail;
    expect(window.edges.map((e) => e.node.entityId)).toContain(ids["A-2"]);
    expect(window.edges.every((e) => e.node.at === received.at)).toBe(true);
  });

  it("is for auditors and admins only, and refuses bad filters with BAD_USER_INPUT", async () => {
    expect(await operator.expectErrorCode(TRAIL, {})).toBe("FORBIDDEN");
    expect(await operator.expectErrorCode(CHAIN)).toBe("FORBIDDEN");
    expect(await new TestClient(lotgraph.gatewayUrl).expectErrorCode(TRAIL, {})).toBe("UNAUTHENTICATED");
    await admin.expectData(TRAIL, { first: 1 });
    expect(await auditor.expectErrorCode(TRAIL, { filter: { subgraph: "payroll" } })).toBe("BAD_USER_INPUT");
    expect(await auditor.expectErrorCode(TRAIL, { first: 600 })).toBe("BAD_USER_INPUT");
    // Far beyond: the cost limit refuses it before it runs.
    expect(await auditor.expectErrorCode(TRAIL, { first: 100_000 })).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await auditor.expectErrorCode(TRAIL, { after: "not-a-cursor" })).toBe("BAD_USER_INPUT");
    expect(
      await auditor.expectErrorCode(TRAIL, { filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" } }),
    ).toBe("BAD_USER_INPUT");
  });

  it("exports a filtered trail as CSV on the gateway, for auditors only", async () => {
    const url = new URL(lotgraph.gatewayUrl.replace(/\/graphql$/, "/exports/audit.csv"));
    url.searchParams.set("subgraph", "inventory");
    url.searchParams.set("entityType", "Lot");
    const response = await fetch(url, { headers: { authorization: `Bearer ${auditorToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
    expect(rows[0]).toEqual([
      "subgraph",
      "seq",
      "at",
      "actor_id",
      "actor_name",
      "action",
      "entity_type",
      "entity_id",
      "summary",
      "reason",
      "before",
      "after",
      "prev_hash",
      "hash",
    ]);
    const body = rows.slice(1);
    expect(body.map((r) => r[7]).sort()).toEqual([ids["A-1"], ids["A-2"], ids["A-3"]].sort());
    expect(body.every((r) => r[0] === "inventory" && r[4] === "Oli Operator" && r[6] === "Lot")).toBe(true);
    expect(JSON.parse(body[0]![11]!)).toMatchObject({ quantity: "10" });
    const forbidden = await fetch(url, {
      headers: {
        authorization: `Bearer ${await new TestClient(lotgraph.gatewayUrl).login("oli@audit.test", "operator-password-1")}`,
      },
    });
    expect(forbidden.status).toBe(403);
    expect((await fetch(url)).status).toBe(401);
    url.searchParams.set("subgraph", "nowhere");
    expect((await fetch(url, { headers: { authorization: `Bearer ${auditorToken}` } })).status).toBe(400);
  });

  it("verifies every chain, and reports a row edited in the database at exactly its seq", async () => {
    const intact = (await auditor.expectData<ChainData>(CHAIN)).auditChainStatus;
    expect(intact.map((c) => c.subgraph)).toEqual(["identity", "inventory", "production", "quality", "traceability"]);
    expect(intact.every((c) => c.verified && c.firstBrokenSeq === null)).toBe(true);
    const inventory = intact.find((c) => c.subgraph === "inventory")!;
    expect(inventory.length).toBeGreaterThanOrEqual(4);

    // Someone with database access rewrites who received A-2 (the trigger that forbids updates
    // has to be switched off to do it: exactly what an auditor must be able to detect).
    const db = lotgraph.databases.inventory;
    const [row] = await db.query<{ seq: string }>(
      "SELECT seq::text FROM audit_log WHERE action = 'lot.received' AND entity_id = $1",
      [ids["A-2"]],
    );
    await db.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update");
    try {
      await db.query("UPDATE audit_log SET actor_name = 'Somebody Else' WHERE seq = $1", [Number(row!.seq)]);
    } finally {
      await db.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
    }
    const after = (await auditor.expectData<ChainData>(CHAIN)).auditChainStatus;
    expect(after.find((c) => c.subgraph === "inventory")).toMatchObject({
      verified: false,
      firstBrokenSeq: Number(row!.seq),
      length: inventory.length,
    });
    expect(after.filter((c) => c.subgraph !== "inventory").every((c) => c.verified)).toBe(true);
  });
});
