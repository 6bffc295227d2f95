import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchBrowser, signIn } from "@lotgraph/tests/support/browser";
import { TestClient } from "@lotgraph/tests/support/graphql-client";
import { startTestLotgraph, TEST_MODE } from "@lotgraph/tests/support/lotgraph";
import { create, hireCrew, type PlantCrew } from "@lotgraph/tests/support/plant";

/** Lots made from the root: ROOT → DOUGH lots (one run) → BREAD lots (one run per dough lot). */
const DOUGH = Number(process.env.BENCH_DOUGH ?? 40);
const BREAD_PER_DOUGH = Number(process.env.BENCH_BREAD_PER_DOUGH ?? 49);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const KIOSK_SAMPLES = Number(process.env.BENCH_KIOSK_SAMPLES ?? 20);
const CONCURRENCY = 4;
const ROOT = "FLOUR-BENCH";

/**
 * `npm run bench -- web`: in Chromium against the whole stack (embedded, or services when
 * DATABASE_URL and NATS_URL are set), with a 2,001-lot genealogy loaded through the gateway:
 * - time from navigation to the drawn trace graph of the root lot (both ways, depth 50), and to
 *   the root lot's page with its genealogy (targets: under 1.5 s);
 * - the kiosk's update delay: from a hold's mutation being sent to the line display showing it,
 *   and the same for its signed release (target: p95 under 1 s).
 */
export async function main(): Promise<void> {
  const webDir = join(import.meta.dirname, "..", "..", "web");
  if (!existsSync(join(webDir, ".next", "BUILD_ID"))) {
    console.log("building the web app (npm run build -w @lotgraph/web)…");
    execFileSync("npm", ["run", "build", "-w", "@lotgraph/web"], { stdio: "inherit" });
  }
  const stack = await startTestLotgraph({ web: true });
  const browser = await launchBrowser();
  try {
    const anonymous = new TestClient(stack.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(stack.admin.email, stack.admin.password!));
    const crew = await hireCrew(anonymous, admin, "bench");
    const started = performance.now();
    const plant = await loadPlant(admin, crew);
    console.log(
      `web (${TEST_MODE}): ${plant.lots} lots loaded through the gateway in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, stack.webUrl!, "manager-bench@plant.test", "manager-password-bench");
    await waitForProjection(page, stack.webUrl!, plant.lots);

    const trace = await timeRuns(page, stack.webUrl!, `/trace/${ROOT}`, async () => {
      await page.locator(`[data-testid="trace-node"][data-lot-code="${ROOT}"]`).waitFor({ state: "visible" });
    });
    report(`trace page, ${plant.lots} lots, to the drawn graph`, trace);
    const detail = await timeRuns(page, stack.webUrl!, `/lots/${ROOT}`, async () => {
      await page.getByRole("heading", { name: ROOT }).waitFor();
      await page
        .getByRole("region", { name: "Genealogy" })
        .getByRole("link", { name: /^DOUGH-/ })
        .first()
        .waitFor();
    });
    report(`lot page of the root (${DOUGH} lots made from it), to its genealogy`, detail);
    await page.close();

    const kiosk = await kioskDelays(browser, stack.webUrl!, admin, crew, plant);
    report("kiosk: hold placed → shown", kiosk.placed);
    report("kiosk: hold released → shown", kiosk.released);
    report("kiosk: both", [...kiosk.placed, ...kiosk.released]);
  } finally {
    await browser.close();
    await stack.cleanup();
  }
}

interface Plant {
  lots: number;
  site: string;
  lineId: string;
  rootId: string;
  runWorkOrder: string;
  sampleLots: string[];
}

export async function loadPlant(admin: TestClient, crew: PlantCrew): Promise<Plant> {
  const site = await create(admin, "createLocation", { code: "BENCH", name: "Bench plant", kind: "SITE" }, "location");
  const lineId = await create(admin, "createLine", { code: "L1", name: "Line 1" }, "line");
  const material = (sku: string, name: string, kind: string) =>
    create(admin, "createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
  const flour = await material("FLOUR-B", "Wheat flour", "RAW");
  const dough = await material("DOUGH-B", "Bread dough", "INTERMEDIATE");
  const bread = await material("BREAD-B", "Sourdough loaf", "FINISHED");
  const rootId = await create(
    crew.operator,
    "receiveLot",
    { materialId: flour, quantity: "100000", locationId: site, code: ROOT },
    "lot",
  );

  const startRun = async (productId: string, line?: string) => {
    const workOrderId = await create(
      crew.manager,
      "createWorkOrder",
      { productId, plannedQuantity: "1000", phases: [{ name: "Make" }], ...(line ? { lineId: line } : {}) },
      "workOrder",
    );
    await create(crew.manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    return { workOrderId, runId: await create(crew.operator, "startRun", { workOrderId }, "run") };
  };
  const output = async (runId: string, code: string, quantity: string) => {
    const data = await crew.operator.expectData<{ recordOutput: { output: { lot: { id: string } } } }>(
      `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`,
      { input: { runId, code, quantity, locationId: site } },
    );
    return data.recordOutput.output.lot.id;
  };

  const mix = await startRun(dough);
  await create(crew.operator, "consumeLot", { runId: mix.runId, lotId: rootId, quantity: "50000" }, "consumption");
  const doughLots: string[] = [];
  for (let i = 0; i < DOUGH; i++) doughLots.push(await output(mix.runId, `DOUGH-${i}`, "1000"));

  let next = 0;
  const sampleLots: string[] = [];
  const worker = async () => {
    while (next < doughLots.length) {
      const i = next++;
      const bake = await startRun(bread);
      await create(
        crew.operator,
        "consumeLot",
        { runId: bake.runId, lotId: doughLots[i], quantity: "1000" },
        "consumption",
      );
      for (let j = 0; j < BREAD_PER_DOUGH; j++) {
        const lot = await output(bake.runId, `BREAD-${i}-${j}`, "20");
        if (i === 0 && j < KIOSK_SAMPLES) sampleLots.push(lot);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // A run in progress on the line, for the kiosk to show.
  const onLine = await startRun(bread, lineId);
  return {
    lots: 1 + DOUGH + DOUGH * BREAD_PER_DOUGH,
    site,
    lineId,
    rootId,
    runWorkOrder: onLine.workOrderId,
    sampleLots,
  };
}

/** The genealogy is projected from events: wait until the trace page sees every lot. */
async function waitForProjection(page: Page, webUrl: string, lots: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    await page.goto(new URL(`/trace/${ROOT}`, webUrl).toString());
    const status = page.getByRole("status").filter({ hasText: /^\d+ lots in this trace/ });
    await status.waitFor({ timeout: 60_000 });
    const shown = Number((await status.textContent())!.split(" ")[0]);
    if (shown >= lots) return;
    if (Date.now() > deadline) throw new Error(`the trace shows ${shown} of ${lots} lots after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Each run opens a fresh tab (no warm React state), navigates, and waits for `drawn`. */
async function timeRuns(page: Page, webUrl: string, path: string, drawn: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto("about:blank");
    const start = performance.now();
    await page.goto(new URL(path, webUrl).toString());
    await drawn();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function kioskDelays(
  browser: Awaited<ReturnType<typeof launchBrowser>>,
  webUrl: string,
  admin: TestClient,
  crew: PlantCrew,
  plant: Plant,
): Promise<{ placed: number[]; released: number[] }> {
  const display = await admin.expectData<{ createServiceAccount: { token: string } }>(
    `mutation ($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { token } }`,
    { input: { name: "Bench display", roles: ["VIEWER"] } },
  );
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(new URL("/floor/L1", webUrl).toString());
  await page.getByLabel("Display token").fill(display.createServiceAccount.token);
  await page.getByRole("button", { name: "Start the display" }).click();
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 30_000 });
  const holds = page.getByTestId("kiosk").locator("footer strong").first();
  const count = async () => Number(await holds.textContent());
  const until = async (predicate: (n: number) => boolean) => {
    while (!predicate(await count())) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  const placed: number[] = [];
  const released: number[] = [];
  for (const lotId of plant.sampleLots) {
    const before = await count();
    const start = performance.now();
    const hold = await crew.manager.expectData<{ placeHold: { holds: Array<{ id: string }> } }>(
      `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`,
      { input: { lotId, reason: "Bench: kiosk delay", propagate: false } },
    );
    await until((n) => n > before);
    placed.push(performance.now() - start);

    const releasing = performance.now();
    await crew.manager.expectData(
      `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id } } }`,
      {
        input: {
          holdId: hold.placeHold.holds[0]!.id,
          reason: "Bench: released",
          signature: { password: "manager-password-bench", meaning: "approved for release" },
        },
      },
    );
    await until((n) => n === before);
    released.push(performance.now() - releasing);
  }
  await page.close();
  return { placed, released };
}

function report(name: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  console.log(
    `${name}: n=${sorted.length} first ${samples[0]!.toFixed(0)} ms, p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
  );
}
