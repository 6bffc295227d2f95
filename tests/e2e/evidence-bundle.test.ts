import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MANIFEST_FILE,
  SIGNATURE_FILE,
  generateSigningKeyPair,
  packEvidence,
  signBytes,
  unpackEvidence,
  type EvidenceManifest,
} from "@lotgraph/kit/evidence";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph, supplierLotCodeOfThisSuite } from "../support/lotgraph.ts";
import { create, runWorkOrder } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

/** The flour's supplier lot code, unique to this suite (see supplierLotCodeOfThisSuite). */
const FLOUR_CODE = supplierLotCodeOfThisSuite("SL-9");

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The command line as `npx lotgraph` runs it in this checkout. */
const LOTGRAPH_BIN = join(ROOT, "node_modules", ".bin", "lotgraph");
const MANAGER_PASSWORD = "manager-password-evidence";

interface AuditFile {
  entries: Array<{ seq: number; action: string; entityType: string; entityId: string; reason: string | null }>;
}

function verify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(LOTGRAPH_BIN, ["verify", ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const json = <T>(files: Map<string, Uint8Array>, name: string) => JSON.parse(decoder.decode(files.get(name)!)) as T;

/**
 * Issue 21's evidence, through the gateway: a real recall of a supplier lot code, whose bundle an
 * auditor downloads and checks with the real `lotgraph verify`, then tampers with and sees fail
 * with the reason.
 */
describe(`the evidence bundle of a recall case (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let anonymous: TestClient;
  let admin: TestClient;
  let manager: TestClient;
  let tokens: Record<"admin" | "manager" | "auditor" | "operator" | "viewer", string>;
  let dir: string;
  let bundlePath: string;
  let bundle: Map<string, Uint8Array>;
  const ids: Record<string, string> = {};

  const download = (path: string, token: string | null, method = "GET") =>
    fetch(new URL(path, lotgraph.gatewayUrl), { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    dir = await mkdtemp(join(tmpdir(), "lotgraph-evidence-"));
    anonymous = new TestClient(lotgraph.gatewayUrl);
    const adminToken = await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!);
    admin = anonymous.as(adminToken);
    const user = async (email: string, name: string, role: string, password: string) => {
      await create(admin, "createUser", { email, name, roles: [role], password }, "user");
      return anonymous.login(email, password);
    };
    tokens = {
      admin: adminToken,
      manager: await user("qm@evidence.test", "Quinn Manager", "MANAGER", MANAGER_PASSWORD),
      auditor: await user("au@evidence.test", "Ada Auditor", "AUDITOR", "auditor-password-evidence"),
      operator: await user("op@evidence.test", "Otto Operator", "OPERATOR", "operator-password-evidence"),
      viewer: await user("vi@evidence.test", "Vic Viewer", "VIEWER", "viewer-password-evidence"),
    };
    manager = anonymous.as(tokens.manager);
    const operator = anonymous.as(tokens.operator);

    ids.site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.mill = await create(admin, "createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.shop = await create(admin, "createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    const material = (sku: string, kind: string) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.flour = await material("FLOUR", "RAW");
    ids.cookie = await material("COOKIE", "FINISHED");
    ids.gate = await create(
      admin,
      "createQcGate",
      { name: "Metal detection", blocking: false, criticalControlPoint: true, characteristics: [] },
      "gate",
    );
    // Two lots of one supplier lot code: one document for both.
    for (const code of ["FL-1", "FL-2"])
      ids[code] = await create(
        operator,
        "receiveLot",
        {
          code,
          materialId: ids.flour,
          quantity: "20",
          locationId: ids.site,
          supplierId: ids.mill,
          supplierLotCode: FLOUR_CODE,
        },
        "lot",
      );
    const made = await runWorkOrder(
      { manager, operator },
      {
        productId: ids.cookie,
        locationId: ids.site,
        consume: [
          [ids["FL-1"]!, "20"],
          [ids["FL-2"]!, "10"],
        ],
        output: [["CK-1", "30"]],
      },
    );
    ids.cookieLot = made.lots[0]!;
    ids.run = made.runId;
    ids.decision = (
      await operator.expectData<{ recordQcDecision: { decision: Id } }>(
        `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id } } }`,
        { input: { gateId: ids.gate, lotId: ids.cookieLot, decision: "PASS", notes: "no metal found" } },
      )
    ).recordQcDecision.decision.id;
    ids.shipment = (
      await operator.expectData<{ shipLots: { shipment: Id } }>(
        `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`,
        { input: { customerId: ids.shop, reference: "SO-1", lines: [{ lotId: ids.cookieLot, quantity: "12" }] } },
      )
    ).shipLots.shipment.id;
    await eventually(async () => {
      const { recall } = await manager.expectData<{ recall: { affectedLots: Id[]; shipments: Id[] } }>(
        `query { recall(supplierLotCode: "${FLOUR_CODE}") { affectedLots { id } shipments { id } } }`,
      );
      expect(recall.affectedLots).toHaveLength(3);
      expect(recall.shipments).toEqual([{ id: ids.shipment }]);
    });
    // A hold on the cookies released with a signature: quality's records behind the case.
    const placed = await manager.expectData<{ placeHold: { holds: Id[] } }>(
      `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`,
      { input: { lotId: ids.cookieLot, reason: "metal detector alarm" } },
    );
    ids.hold = placed.placeHold.holds[0]!.id;
    await manager.expectData(
      `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { released { id } } }`,
      {
        input: {
          holdId: ids.hold,
          reason: "false alarm: detector recalibrated",
          signature: { password: MANAGER_PASSWORD, meaning: "approved for release" },
        },
      },
    );
    // The recall: quality holds the code, the customer is told, the case closes with a signature.
    const opened = await manager.expectData<{ openRecall: { recallCase: { id: string; evidenceUrl: string } } }>(
      `mutation ($input: OpenRecallInput!) { openRecall(input: $input) { recallCase { id evidenceUrl } } }`,
      { input: { supplierLotCode: FLOUR_CODE, reason: "supplier reports glass fragments" } },
    );
    ids.case = opened.openRecall.recallCase.id;
    expect(opened.openRecall.recallCase.evidenceUrl).toBe(`/exports/evidence/${ids.case}.zip`);
    await manager.expectData(
      `mutation ($input: RecordRecallNoticeInput!) { recordRecallNotice(input: $input) { recallCase { id } } }`,
      {
        input: {
          recallCaseId: ids.case,
          customerId: ids.shop,
          notifiedAt: new Date(Date.now() - 60_000).toISOString(),
          acknowledgedAt: new Date().toISOString(),
        },
      },
    );
    await manager.expectData(
      `mutation ($input: CloseRecallInput!) { closeRecall(input: $input) { recallCase { id } } }`,
      {
        input: {
          recallCaseId: ids.case,
          reason: "customer told, stock destroyed",
          signature: { password: MANAGER_PASSWORD, meaning: "recall complete" },
        },
      },
    );
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("hands an auditor the case's evidence as a zip", async () => {
    const response = await download(`/exports/evidence/${ids.case}.zip`, tokens.auditor);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="evidence-RC-\d{4}-\d{4}\.zip"$/,
    );
    const zip = new Uint8Array(await response.arrayBuffer());
    bundlePath = join(dir, "evidence.zip");
    await writeFile(bundlePath, zip);
    bundle = unpackEvidence(zip);

    expect([...bundle.keys()].sort()).toEqual([
      "audit/inventory.json",
      "audit/production.json",
      "audit/quality.json",
      "audit/traceability.json",
      "case.json",
      "decisions.json",
      "epcis.json",
      "fsma204.csv",
      "holds.json",
      MANIFEST_FILE,
      SIGNATURE_FILE,
    ]);
    const manifest = json<EvidenceManifest>(bundle, MANIFEST_FILE);
    expect(manifest.recallCase.id).toBe(ids.case);
    expect(Object.keys(manifest.chains).sort()).toEqual(["inventory", "production", "quality", "traceability"]);

    // The case with its holds and closing signature, its scope (both lots of the code and what was
    // made of them) and its notice.
    const recallCase = json<{
      recallCase: { number: string; drill: boolean; status: string; signature: unknown; supplierHoldIds: string[] };
      scope: { sourceLots: Array<{ code: string }>; frozenLots: Array<{ code: string }> };
      notices: Array<{ customerId: string }>;
    }>(bundle, "case.json");
    expect(recallCase.recallCase).toMatchObject({
      number: manifest.recallCase.number,
      drill: false,
      status: "CLOSED",
      signature: { signerName: "Quinn Manager", meaning: "recall complete" },
    });
    expect(recallCase.recallCase.supplierHoldIds).toHaveLength(1);
    expect(recallCase.notices).toMatchObject([{ customerId: ids.shop }]);
    expect(recallCase.scope.sourceLots.map((l) => l.code).sort()).toEqual(["FL-1", "FL-2"]);
    expect(recallCase.scope.frozenLots.map((l) => l.code).sort()).toEqual(["CK-1", "FL-1", "FL-2"]);
    // One EPCIS document and one spreadsheet for both lots of the code, downstream to the customer.
    const epcis = json<{ epcisBody: { eventList: Array<{ type: string; bizStep?: string }> } }>(bundle, "epcis.json");
    expect(epcis.epcisBody.eventList.map((e) => `${e.type}/${e.bizStep ?? ""}`).sort()).toEqual([
      "ObjectEvent/receiving",
      "ObjectEvent/receiving",
      "ObjectEvent/shipping",
      "TransformationEvent/commissioning",
    ]);
    const csv = decoder.decode(bundle.get("fsma204.csv")!);
    expect(csv.split("\r\n").filter((line) => /^(Receiving|Transformation|Shipping),/.test(line))).toHaveLength(4);
    // Quality's records: the decision, the released hold with its signature, the recall's supplier
    // hold and its holds.
    const decisions = json<{ decisions: Array<{ id: string; result: string; decidedByName: string }> }>(
      bundle,
      "decisions.json",
    );
    expect(decisions.decisions).toMatchObject([{ id: ids.decision, result: "PASS", decidedByName: "Otto Operator" }]);
    const holds = json<{
      holds: Array<{ id: string; lotId: string; supplierHoldId: string | null; signature: unknown }>;
      supplierHolds: Array<{ id: string; supplierLotCode: string }>;
    }>(bundle, "holds.json");
    expect(holds.supplierHolds).toMatchObject([{ supplierLotCode: FLOUR_CODE }]);
    const supplierHoldId = holds.supplierHolds[0]!.id;
    expect(recallCase.recallCase.supplierHoldIds).toEqual([supplierHoldId]);
    expect(
      holds.holds
        .filter((h) => h.supplierHoldId === supplierHoldId)
        .map((h) => h.lotId)
        .sort(),
    ).toEqual([ids["FL-1"], ids["FL-2"], ids.cookieLot].sort());
    expect(holds.holds.find((h) => h.id === ids.hold)).toMatchObject({
      lotId: ids.cookieLot,
      signature: { signerName: "Quinn Manager", meaning: "approved for release" },
    });
    // The audit entries behind them, from each service's log.
    const actions = (subgraph: string) =>
      json<AuditFile>(bundle, `audit/${subgraph}.json`).entries.map((e) => `${e.entityType}:${e.action}`);
    expect(actions("traceability")).toEqual([
      "RecallCase:recall.opened",
      "RecallCase:recall.noticeRecorded",
      "RecallCase:recall.closed",
    ]);
    expect(actions("quality")).toEqual(
      expect.arrayContaining([
        "QcDecision:qcDecision.recorded",
        "Hold:hold.placed",
        "Hold:hold.released",
        "RecallCase:recall.contained",
      ]),
    );
    expect(actions("inventory")).toEqual(expect.arrayContaining(["Lot:lot.received", "Shipment:shipment.created"]));
    expect(actions("production").length).toBeGreaterThan(0);
  });

  it("verifies with the real command line, against the key the gateway shows", async () => {
    const key = await download("/exports/signing-key", tokens.viewer);
    expect(key.status).toBe(200);
    const { algorithm, fingerprint, publicKey } = (await key.json()) as Record<string, string>;
    expect(algorithm).toBe("Ed25519");
    const manifest = json<EvidenceManifest>(bundle, MANIFEST_FILE);
    expect(manifest.signingKey).toEqual({ algorithm, publicKey, fingerprint });

    const entries = Object.values(manifest.chains).reduce((n, chain) => n + chain.entries.length, 0);
    const run = await verify(bundlePath, "--fingerprint", fingerprint!);
    expect(run).toEqual({
      code: 0,
      stdout: `verified 9 files, ${entries} audit entries in 4 chains of recall case ${manifest.recallCase.number}, signed by ${fingerprint}\n`,
      stderr: "",
    });
    // The same key again, and its bundle again: the install keeps one key.
    const second = unpackEvidence(
      new Uint8Array(await (await download(`/exports/evidence/${ids.case}.zip`, tokens.manager)).arrayBuffer()),
    );
    expect(json<EvidenceManifest>(second, MANIFEST_FILE).signingKey.fingerprint).toBe(fingerprint);
  });

  it("fails a tampered bundle with the reason: an entry changed by one byte, an entry removed, another signature", async () => {
    const tampered = async (name: string, edit: (files: Map<string, Uint8Array>) => void) => {
      const files = new Map(bundle);
      edit(files);
      const path = join(dir, name);
      await writeFile(path, packEvidence(files, new Date()));
      return verify(path);
    };

    const quality = json<AuditFile>(bundle, "audit/quality.json");
    const target = quality.entries.find((e) => e.action === "qcDecision.recorded")!;
    const oneByte = await tampered("one-byte.zip", (files) => {
      const text = decoder.decode(files.get("audit/quality.json")!);
      // "no metal found" → "no metal fount", in that entry's reason only.
      const at = text.indexOf('"no metal found"', text.indexOf(`"seq": ${target.seq},`));
      files.set("audit/quality.json", encoder.encode(`${text.slice(0, at + 14)}t${text.slice(at + 15)}`));
    });
    expect(oneByte.code).toBe(1);
    expect(oneByte.stdout).toContain("FAILED file audit/quality.json: sha256 mismatch\n");
    expect(oneByte.stdout).toContain(`FAILED audit entry quality#${target.seq}: content does not match its hash\n`);

    const inventory = json<AuditFile>(bundle, "audit/inventory.json");
    const removed = inventory.entries[0]!;
    const oneLess = await tampered("one-less.zip", (files) => {
      const file = json<AuditFile>(files, "audit/inventory.json");
      file.entries = file.entries.filter((e) => e.seq !== removed.seq);
      files.set("audit/inventory.json", encoder.encode(JSON.stringify(file, null, 2)));
    });
    expect(oneLess.code).toBe(1);
    expect(oneLess.stdout).toContain(
      `FAILED audit entry inventory#${removed.seq}: listed in the manifest but missing from audit/inventory.json\n`,
    );

    const resigned = await tampered("resigned.zip", (files) => {
      files.set(
        SIGNATURE_FILE,
        encoder.encode(signBytes(files.get(MANIFEST_FILE)!, generateSigningKeyPair().privateKeyPem)),
      );
    });
    expect(resigned.code).toBe(1);
    expect(resigned.stdout).toContain("FAILED manifest signature invalid");
  });

  it("refuses without a token (401), other roles (403) and an unknown case (404); MANAGER and ADMIN may", async () => {
    const path = `/exports/evidence/${ids.case}.zip`;
    const anonymousAnswer = await download(path, null);
    expect(anonymousAnswer.status).toBe(401);
    expect(anonymousAnswer.headers.get("www-authenticate")).toBe("Bearer");
    expect((await download("/exports/signing-key", null)).status).toBe(401);
    expect((await download("/exports/evidence/not-a-case.zip", null)).status).toBe(401);
    for (const role of ["viewer", "operator"] as const) {
      const answer = await download(path, tokens[role]);
      expect(answer.status, role).toBe(403);
      expect(await answer.text()).toMatch(/^FORBIDDEN: /);
    }
    for (const role of ["manager", "admin"] as const)
      expect((await download(path, tokens[role])).status, role).toBe(200);
    expect((await download("/exports/evidence/00000000-0000-4000-8000-000000000001.zip", tokens.auditor)).status).toBe(
      404,
    );
    expect((await download("/exports/evidence/not-a-case.zip", tokens.auditor)).status).toBe(404);
    expect((await download(`/exports/evidence/${ids.case}`, tokens.auditor)).status).toBe(404);
    expect((await download(path, tokens.auditor, "POST")).status).toBe(405);
  });
});
