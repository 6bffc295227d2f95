import { randomUUID } from "node:crypto";
import { TokenService, resolveJwtSecret } from "@lotgraph/kit";
import { viaGateway } from "@lotgraph/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefusedWithoutChange, footprint } from "../support/footprint.ts";
import { TestClient, type GraphQLResponse } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create, runWorkOrder, type PlantCrew } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

const CONTAIN = `mutation ($input: PlaceRecallContainmentInput!) {
  placeRecallContainment(input: $input) { holdIds supplierHoldIds }
}`;
const RECEIVE = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id status } } }`;
const OUTPUT = `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id status } } } }`;
const PLACE_SUPPLIER = `mutation ($input: PlaceSupplierHoldInput!) { placeSupplierHold(input: $input) { supplierHold { id } } }`;
const LOT = `query ($id: ID) {
  lot(id: $id) { id status qualityStatus holds { active reason cause { id } supplierHold { id } } }
}`;
const HOLD = `query ($id: ID!) {
  hold(id: $id) { id reason active placedByName placedBy { id } lot { id } propagated { lot { id } placedByName } }
}`;
const SUPPLIER_HOLD = `query ($id: ID!) {
  supplierHold(id: $id) {
    id reason active placedByName placedBy { id } supplier { id } supplierLotCode
    holds { id reason placedByName lot { id } }
  }
}`;

interface Containment {
  holdIds: string[];
  supplierHoldIds: string[];
}
interface LotView {
  id: string;
  status: string;
  qualityStatus: string;
  holds: Array<{ active: boolean; reason: string; cause: Id | null; supplierHold: Id | null }>;
}
interface HoldView {
  id: string;
  reason: string;
  active: boolean;
  placedByName: string;
  placedBy: Id | null;
  lot: Id;
  propagated: Array<{ lot: Id; placedByName: string }>;
}
interface SupplierHoldView {
  id: string;
  reason: string;
  active: boolean;
  placedByName: string;
  placedBy: Id | null;
  supplier: Id;
  supplierLotCode: string;
  holds: Array<{ id: string; reason: string; placedByName: string; lot: Id }>;
}

/**
 * Issue 21, quality's side of opening a recall (decision 0023): traceability asks quality, with
 * its service token, to contain a case in the opener's name. Called here as traceability does,
 * on quality's own port; what it placed is read back through the gateway and quality's audit log.
 */
describe(`recall containment: quality's holds for a recall case (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let crew: PlantCrew;
  /** The person who opens the recalls: a manager other than the one who places holds by hand. */
  let opener: { id: string; name: string; token: string };
  /** Quality's port, called with traceability's service token. */
  let quality: TestClient;
  let tokens: TokenService;
  let ids: { site: string; mill: string; farm: string; barn: string; shop: string; flour: string; dough: string };

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const person = async (email: string, name: string, role: string) => {
      const password = `${role.toLowerCase()}-password-recall`;
      await create(admin, "createUser", { email, name, roles: [role], password }, "user");
      return anonymous.as(await anonymous.login(email, password));
    };
    crew = {
      manager: await person("qm@recall.test", "Quinn Manager", "MANAGER"),
      operator: await person("op@recall.test", "Oli Operator", "OPERATOR"),
    };
    const rhea = await person("rhea@recall.test", "Rhea Recall", "MANAGER");
    const me = await rhea.expectData<{ me: { id: string; name: string } }>(`{ me { id name } }`);
    opener = { ...me.me, token: rhea.token! };
    tokens = new TokenService(await resolveJwtSecret(lotgraph.env));
    quality = new TestClient(lotgraph.subgraphUrls.quality, await tokens.internalToken("traceability"));

    const party = (code: string, kind: string) => create(admin, "createParty", { code, name: code, kind }, "party");
    const material = (sku: string, kind: string) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    ids = {
      site: await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location"),
      mill: await party("MILL", "SUPPLIER"),
      farm: await party("FARM", "SUPPLIER"),
      barn: await party("BARN", "SUPPLIER"),
      shop: await party("SHOP", "CUSTOMER"),
      flour: await material("FLOUR", "RAW"),
      dough: await material("DOUGH", "INTERMEDIATE"),
    };
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  const receive = async (code: string, supplierId: string | null, supplierLotCode: string) =>
    (
      await crew.operator.expectData<{ receiveLot: { lot: { id: string; status: string } } }>(RECEIVE, {
        input: { code, materialId: ids.flour, quantity: "50", locationId: ids.site, supplierId, supplierLotCode },
      })
    ).receiveLot.lot;
  const mix = (consume: string, output: string) =>
    runWorkOrder(crew, {
      productId: ids.dough,
      locationId: ids.site,
      consume: [[consume, "2"]],
      output: [[output, "5"]],
    });
  const outputOf = async (runId: string, code: string) =>
    (
      await crew.operator.expectData<{ recordOutput: { output: { lot: { id: string; status: string } } } }>(OUTPUT, {
        input: { runId, code, quantity: "5", locationId: ids.site },
      })
    ).recordOutput.output.lot;
  const lot = async (id: string) => (await admin.expectData<{ lot: LotView }>(LOT, { id })).lot;
  const hold = async (id: string) => (await admin.expectData<{ hold: HoldView }>(HOLD, { id })).hold;
  const supplierHold = async (id: string) =>
    (await admin.expectData<{ supplierHold: SupplierHoldView }>(SUPPLIER_HOLD, { id })).supplierHold;
  const contain = async (input: Record<string, unknown>) =>
    (await quality.expectData<{ placeRecallContainment: Containment }>(CONTAIN, { input })).placeRecallContainment;
  const recall = (caseNumber: string, fields: Record<string, unknown>) => ({
    recallCaseId: randomUUID(),
    caseNumber,
    reason: "supplier reports salmonella",
    openedBy: { id: opener.id, name: opener.name },
    ...fields,
  });
  /** Who quality's audit log says did each of `entityIds`, by action. */
  const auditedBy = async (entityIds: readonly string[]) =>
    lotgraph.databases.quality.query<{ entity_id: string; action: string; actor_id: string; actor_name: string }>(
      "SELECT entity_id, action, actor_id, actor_name FROM audit_log WHERE entity_id = ANY($1::text[]) ORDER BY seq",
      [entityIds],
    );
  /** Runs `repeat`, which must succeed, and checks it wrote nothing anywhere. */
  const withoutChange = async <T>(repeat: () => Promise<T>): Promise<T> => {
    const before = await footprint(lotgraph.databases);
    const result = await repeat();
    expect(await footprint(lotgraph.databases)).toEqual(before);
    return result;
  };
  /** Waits until quality recorded the hold inventory placed on a lot at its birth. */
  const heldInQuality = (lotId: string) =>
    eventually(async () => {
      const view = await lot(lotId);
      expect(view.holds.filter((h) => h.active)).not.toEqual([]);
      return view;
    });

  it("holds a supplier lot code for every supplier that delivered it, in the opener's name, and what arrives later", async () => {
    const fromMill = await receive("F-RC1-MILL", ids.mill, "SL-RC1");
    const fromFarm = await receive("F-RC1-FARM", ids.farm, "SL-RC1");
    const other = await receive("F-RC1-OTHER", ids.mill, "SL-OTHER");
    // The same code with no supplier named: the recall is of the code, so it is held too.
    const unnamed = await receive("F-RC1-NONE", null, "SL-RC1");
    const { runId, lots } = await mix(fromMill.id, "D-RC1");
    const dough = lots[0]!;

    const input = recall("RC-2026-0001", { supplierLotCode: "SL-RC1", supplierIds: [ids.mill, ids.farm] });
    const placed = await contain(input);
    expect(placed.supplierHoldIds).toHaveLength(2);
    const [millHold, farmHold] = await Promise.all(placed.supplierHoldIds.map(supplierHold));
    const bySupplier = new Map([millHold!, farmHold!].map((h) => [h.supplier.id, h]));
    const mill = bySupplier.get(ids.mill)!;
    const farm = bySupplier.get(ids.farm)!;
    for (const h of [mill, farm]) {
      expect(h).toMatchObject({ active: true, supplierLotCode: "SL-RC1", placedByName: "Rhea Recall" });
      expect(h.placedBy).toEqual({ id: opener.id });
      expect(h.reason).toBe("RC-2026-0001: supplier reports salmonella");
      expect(h.holds.every((x) => x.placedByName === "Rhea Recall" && x.reason.startsWith("RC-2026-0001"))).toBe(true);
    }
    // Each supplier's hold takes its own lots; the last placed (supplier ids in order) also takes
    // the code's lots of no supplier and of suppliers without a hold of their own.
    const takesOthers = [ids.mill, ids.farm].sort().at(-1) === ids.mill ? mill : farm;
    const own = (h: SupplierHoldView) => h.holds.map((x) => x.lot.id).filter((id) => id !== unnamed.id);
    expect(own(mill).sort()).toEqual([fromMill.id, dough].sort());
    expect(own(farm)).toEqual([fromFarm.id]);
    expect(takesOthers.holds.map((h) => h.lot.id)).toContain(unnamed.id);
    expect([...placed.holdIds].sort()).toEqual([...mill.holds, ...farm.holds].map((h) => h.id).sort());
    for (const id of [fromMill.id, fromFarm.id, dough, unnamed.id])
      expect(await lot(id)).toMatchObject({ status: "ON_HOLD", qualityStatus: "ON_HOLD" });
    expect((await lot(other.id)).status).toBe("AVAILABLE");

    // Audited in the opener's name: each hold, each supplier hold's holds, and the containment.
    const audit = await auditedBy([...placed.holdIds, input.recallCaseId]);
    expect(audit.map((a) => a.action).sort()).toEqual([...placed.holdIds.map(() => "hold.placed"), "recall.contained"]);
    expect(audit.every((a) => a.actor_id === opener.id && a.actor_name === "Rhea Recall")).toBe(true);

    // The code's next truck arrives held; so does the next output of the run that used held flour.
    const later = await receive("F-RC1-LATER", ids.farm, "SL-RC1");
    expect(later.status).toBe("ON_HOLD");
    const laterView = await heldInQuality(later.id);
    expect(laterView.holds).toMatchObject([{ active: true, supplierHold: { id: farm.id } }]);
    // A truck of the code from a supplier that never delivered it, or naming none, arrives held too.
    for (const [code, supplierId] of [
      ["F-RC1-BARN", ids.barn],
      ["F-RC1-NONE-2", null],
    ] as const) {
      const stray = await receive(code, supplierId, "SL-RC1");
      expect(stray.status).toBe("ON_HOLD");
      expect((await heldInQuality(stray.id)).holds).toMatchObject([
        { active: true, supplierHold: { id: takesOthers.id } },
      ]);
    }
    const moreDough = await outputOf(runId, "D-RC1-2");
    expect(moreDough.status).toBe("ON_HOLD");
    expect((await heldInQuality(moreDough.id)).holds).toMatchObject([{ active: true, supplierHold: { id: mill.id } }]);

    // traceability's journal retrying: the same ids, nothing placed or written again.
    const shuffled = { ...input, supplierIds: [ids.farm, ids.mill] };
    expect(await withoutChange(() => contain(shuffled))).toEqual(placed);
    // The same case asked with something else is refused, and changes nothing.
    const code = await expectRefusedWithoutChange(lotgraph.databases, () =>
      quality.expectErrorCode(CONTAIN, { input: { ...input, reason: "another reason" } }),
    );
    expect(code).toBe("CONFLICT");
  });

  it("holds a lot with propagation: every descendant now, and what the lot's run makes later", async () => {
    const flour = await receive("F-RC2", ids.mill, "SL-RC2");
    const { runId, lots } = await mix(flour.id, "D-RC2");
    const dough = lots[0]!;

    const input = recall("RC-2026-0002", { lotId: flour.id });
    const placed = await contain(input);
    expect(placed.supplierHoldIds).toEqual([]);
    expect(placed.holdIds).toHaveLength(1);
    const root = await hold(placed.holdIds[0]!);
    expect(root).toMatchObject({
      active: true,
      lot: { id: flour.id },
      placedByName: "Rhea Recall",
      placedBy: { id: opener.id },
      reason: "RC-2026-0002: supplier reports salmonella",
      propagated: [{ lot: { id: dough }, placedByName: "Rhea Recall" }],
    });
    for (const id of [flour.id, dough]) expect((await lot(id)).status).toBe("ON_HOLD");

    const moreDough = await outputOf(runId, "D-RC2-2");
    expect(moreDough.status).toBe("ON_HOLD");
    const inherited = await heldInQuality(moreDough.id);
    expect(inherited.holds).toMatchObject([{ active: true, cause: { id: root.id } }]);

    expect(await withoutChange(() => contain(input))).toEqual(placed);
    expect((await hold(root.id)).propagated).toHaveLength(2);
  });

  it("keeps a supplier hold already standing on the code, and returns it", async () => {
    const fromMill = await receive("F-RC3-MILL", ids.mill, "SL-RC3");
    const fromFarm = await receive("F-RC3-FARM", ids.farm, "SL-RC3");
    const standing = await crew.manager.expectData<{ placeSupplierHold: { supplierHold: Id } }>(PLACE_SUPPLIER, {
      input: { supplierId: ids.mill, supplierLotCode: "SL-RC3", reason: "mill called first" },
    });
    const standingId = standing.placeSupplierHold.supplierHold.id;

    const placed = await contain(
      recall("RC-2026-0003", { supplierLotCode: "SL-RC3", supplierIds: [ids.mill, ids.farm] }),
    );
    expect(placed.supplierHoldIds).toHaveLength(2);
    expect(placed.supplierHoldIds).toContain(standingId);
    const kept = await supplierHold(standingId);
    expect(kept).toMatchObject({ active: true, placedByName: "Quinn Manager", reason: "mill called first" });
    const added = await supplierHold(placed.supplierHoldIds.find((id) => id !== standingId)!);
    expect(added).toMatchObject({ supplier: { id: ids.farm }, placedByName: "Rhea Recall" });
    expect([...placed.holdIds].sort()).toEqual([...kept.holds, ...added.holds].map((h) => h.id).sort());
    expect(kept.holds.map((h) => h.lot.id)).toEqual([fromMill.id]);
    expect(added.holds.map((h) => h.lot.id)).toEqual([fromFarm.id]);
    // One supplier hold per supplier on the code: the mill's was not placed twice.
    const listed = await admin.expectData<{
      supplierHolds: { edges: Array<{ node: { id: string; supplierLotCode: string } }> };
    }>(`{ supplierHolds(first: 50) { edges { node { id supplierLotCode } } } }`);
    const onCode = listed.supplierHolds.edges.filter((e) => e.node.supplierLotCode === "SL-RC3").map((e) => e.node.id);
    expect(onCode.sort()).toEqual([...placed.supplierHoldIds].sort());
  });

  it("is not there for a person: hidden at the gateway, FORBIDDEN on quality's port; bad input changes nothing", async () => {
    const flour = await receive("F-RC4", ids.mill, "SL-RC4");
    const input = recall("RC-2026-0004", { lotId: flour.id });

    const viaGatewayAsOpener = new TestClient(lotgraph.gatewayUrl, opener.token);
    expect(await viaGatewayAsOpener.expectErrorCode(CONTAIN, { input })).toBe("GRAPHQL_VALIDATION_FAILED");
    const asPerson = async () => {
      const response = await fetch(lotgraph.subgraphUrls.quality, {
        method: "POST",
        headers: await viaGateway(tokens, opener.token),
        body: JSON.stringify({ query: CONTAIN, variables: { input } }),
      });
      return ((await response.json()) as GraphQLResponse<unknown>).errors?.[0]?.extensions?.code;
    };
    expect(await expectRefusedWithoutChange(lotgraph.databases, asPerson)).toBe("FORBIDDEN");

    const bad: Array<[string, Record<string, unknown>, string]> = [
      ["both a lot and a code", { supplierLotCode: "SL-RC4", supplierIds: [ids.mill] }, "BAD_USER_INPUT"],
      ["a lot with suppliers", { supplierIds: [ids.mill] }, "BAD_USER_INPUT"],
      ["neither", { lotId: null }, "BAD_USER_INPUT"],
      ["a code without suppliers", { lotId: null, supplierLotCode: "SL-RC4" }, "BAD_USER_INPUT"],
      ["a code with no supplier", { lotId: null, supplierLotCode: "SL-RC4", supplierIds: [] }, "BAD_USER_INPUT"],
      [
        "a customer as supplier",
        { lotId: null, supplierLotCode: "SL-RC4", supplierIds: [ids.mill, ids.shop] },
        "BAD_USER_INPUT",
      ],
      ["an unknown lot", { lotId: randomUUID() }, "NOT_FOUND"],
      ["no case number", { caseNumber: " " }, "BAD_USER_INPUT"],
      ["an opener without a name", { openedBy: { id: opener.id, name: "" } }, "BAD_USER_INPUT"],
    ];
    for (const [what, change, expected] of bad) {
      const code = await expectRefusedWithoutChange(lotgraph.databases, () =>
        quality.expectErrorCode(CONTAIN, { input: { ...input, ...change } }),
      );
      expect(code, what).toBe(expected);
    }
    expect((await lot(flour.id)).status).toBe("AVAILABLE");
    // The refusals took no key: the case is contained once it is asked rightly.
    expect((await contain(input)).holdIds).toHaveLength(1);
    expect((await lot(flour.id)).status).toBe("ON_HOLD");
  });
});
