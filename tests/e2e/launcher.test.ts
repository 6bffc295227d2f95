import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildLauncher } from "@lotgraph/lotgraph/build";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopChild } from "../support/child-process.ts";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE } from "../support/lotgraph.ts";
import { OtlpReceiver } from "../support/otlp-receiver.ts";
import { create } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

const ADMIN_PASSWORD = "launcher-admin-password";
const LOT = `query ($id: ID) { lot(id: $id) {
  code quantity status material { sku } location { code } qualityStatus holds { reason active } children { id } } }`;

/**
 * What `npm start` runs: the bundle `npm run build` makes, started by plain node on a new data
 * directory, then stopped and started again on it (decision 0017). The other suites run the
 * TypeScript; this one holds the bundle to the same behaviour on a path through every subgraph.
 * It runs in the embedded pass only: the services pass would start the same embedded process
 * again (the bundle is the laptop default; services mode runs the same modules, tested there).
 */
// Skipped in the services pass (reason above): that pass would only start the embedded bundle again.
describe.skipIf(TEST_MODE !== "embedded")("the built all-in-one process (npm start)", () => {
  let bundle: string;
  let dataDir: string;
  let running: { child: ChildProcess; client: TestClient } | null = null;
  /** Both starts export traces, each over one of the two OTLP protocols. */
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    bundle = await buildLauncher();
    dataDir = await mkdtemp(join(tmpdir(), "lotgraph-launcher-"));
    receiver = await OtlpReceiver.start();
  }, 180_000);
  afterAll(async () => {
    if (running) await stopChild(running.child);
    await rm(dataDir, { recursive: true, force: true });
    await receiver?.close();
  });

  async function start(tracing: Record<string, string>): Promise<{ child: ChildProcess; client: TestClient }> {
    const child = spawn(process.execPath, [bundle, "--no-web"], {
      env: {
        ...process.env,
        LOTGRAPH_DATA_DIR: dataDir,
        PORT: "0",
        LOTGRAPH_SUBGRAPH_PORTS: "ephemeral",
        LOTGRAPH_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LOG_LEVEL: "warn",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: "50",
        ...tracing,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const gatewayUrl = await printedGatewayUrl(child);
    const anonymous = new TestClient(gatewayUrl);
    const client = anonymous.as(await anonymous.login("admin@lotgraph.local", ADMIN_PASSWORD));
    return { child, client };
  }

  it("serves the whole graph on a first start, and keeps it across a restart", async () => {
    running = await start({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
    const admin = running.client;
    const locationId = await create(
      admin,
      "createLocation",
      { code: "B-SITE", name: "Site", kind: "SITE" },
      "location",
    );
    const materialId = await create(
      admin,
      "createMaterial",
      { sku: "B-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    const lot = { materialId, quantity: "12.5", locationId, code: "B-LOT-1" };
    const lotId = await create(admin, "receiveLot", lot, "lot");
    await admin.expectData(`mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, {
      input: { lotId, reason: "Seal broken on arrival" },
    });
    const expected = {
      code: "B-LOT-1",
      quantity: "12.5",
      status: "ON_HOLD",
      material: { sku: "B-FLOUR" },
      location: { code: "B-SITE" },
      qualityStatus: "ON_HOLD",
      holds: [{ reason: "Seal broken on arrival", active: true }],
      children: [],
    };
    await eventually(async () =>
      expect((await admin.expectData<{ lot: unknown }>(LOT, { id: lotId })).lot).toEqual(expected),
    );

    // The bundle's traces reach the collector: one trace from the caller through the gateway to
    // inventory, as the TypeScript's do (tracing.test.ts).
    const traceId = randomBytes(16).toString("hex");
    const traceparent = `00-${traceId}-${randomBytes(8).toString("hex")}-01`;
    const traced = await fetch(admin.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}`, traceparent },
      body: JSON.stringify({ query: LOT, variables: { id: lotId } }),
    });
    expect(traced.status).toBe(200);
    await eventually(
      () => {
        const parts = receiver.trace(traceId).map((span) => span.attributes["lotgraph.part"]);
        expect(parts).toEqual(expect.arrayContaining(["gateway", "inventory", "quality"]));
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );

    // The downloads run code that finds files of its own (pdfkit's fonts, the zip writer): a
    // drill's PDF and CSV report, its evidence bundle and the FSMA 204 spreadsheet, from the bundle.
    const drill = (
      await admin.expectData<{ openRecall: { recallCase: Record<string, string> } }>(
        `mutation ($input: OpenRecallInput!) { openRecall(input: $input) { recallCase { reportPdfUrl reportCsvUrl evidenceUrl } } }`,
        { input: { lotId, reason: "mock recall from the bundle", drill: true } },
      )
    ).openRecall.recallCase;
    const download = async (path: string) => {
      const response = await fetch(new URL(path, admin.url), { headers: { authorization: `Bearer ${admin.token}` } });
      return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
    };
    const pdf = await download(drill.reportPdfUrl!);
    expect([pdf.status, pdf.body.subarray(0, 5).toString()]).toEqual([200, "%PDF-"]);
    const csv = await download(drill.reportCsvUrl!);
    expect([csv.status, csv.body.toString()]).toEqual([200, expect.stringContaining("B-LOT-1")]);
    const zip = await download(drill.evidenceUrl!);
    expect([zip.status, zip.body.subarray(0, 2).toString()]).toEqual([200, "PK"]);
    const fsma = await download(`/exports/fsma204.csv?lotId=${lotId}`);
    expect([fsma.status, fsma.body.toString()]).toEqual([200, expect.stringContaining("B-LOT-1")]);

    // A second process on the same data directory (another port) is refused before it opens the
    // database: two engines on one directory corrupt it.
    const second = spawn(process.execPath, [bundle, "--no-web"], {
      env: { ...process.env, LOTGRAPH_DATA_DIR: dataDir, PORT: "0", LOTGRAPH_SUBGRAPH_PORTS: "ephemeral" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let refusal = "";
    second.stderr!.setEncoding("utf8").on("data", (chunk: string) => (refusal += chunk));
    const code = await new Promise<number | null>((resolve) => second.once("exit", resolve));
    expect(code).toBe(1);
    expect(refusal.trim()).toMatch(
      new RegExp(
        `^Lotgraph cannot start\\. LOTGRAPH_DATA_DIR: Lotgraph already runs on ${dataDir} \\(pid ${running.child.pid}, http://`,
      ),
    );
    expect((await admin.expectData<{ lot: unknown }>(LOT, { id: lotId })).lot).toEqual(expected);

    expect(await stopChild(running.child)).toBe(0);
    running = await start({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" });
    expect((await running.client.expectData<{ lot: unknown }>(LOT, { id: lotId })).lot).toEqual(expected);
    // The receiver reads JSON only: a protobuf export reaching it is the other exporter working.
    await eventually(() => expect(receiver.refused).toContain("POST /v1/traces application/x-protobuf"), {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
  });
});

/** The gateway's URL from the ready banner the process prints; the process failing first fails the test. */
async function printedGatewayUrl(child: ChildProcess): Promise<string> {
  let printed = "";
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      printed += chunk;
      const url = /GraphQL\s+(http\S+)/.exec(printed)?.[1];
      if (url) resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`lotgraph exited with ${code} before it was ready:\n${printed}`)));
  });
}
