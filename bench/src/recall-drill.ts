import { availableParallelism, loadavg } from "node:os";
import { benchModes, startBenchStack, type BenchStack, type Mode } from "./bench-stack.ts";
import { seededPlant, type PlantParams } from "./recall-drill-cache.ts";
import { familiesFor, generateDrilledFamily, type DrilledFamily } from "./recall-drill-plant.ts";

const PARAMS: PlantParams = {
  lots: Number(process.env.BENCH_LOTS ?? 1_000_000),
  seed: Number(process.env.BENCH_SEED ?? 1),
};
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Issue 21's target for the full report, embedded. */
const TARGET_MS = 5000;

const OPEN = `mutation ($input: OpenRecallInput!) {
  openRecall(input: $input) {
    recallCase {
      id number answeredInMs reportPdfUrl reportCsvUrl
      scope { frozenCount foundLaterCount finishedLots { id } onHand { id } shipments { id } }
      exposure {
        customers { customer { id name } shipments { id } quantityOfSource uom }
        sourceQuantity { quantity uom }
      }
      reconciliation {
        balanced percentAccountedFor
        lines { uom received consumed onHand shipped scrapped adjustments unaccounted percentAccountedFor }
      }
    }
  }
}`;

interface OpenedCase {
  id: string;
  number: string;
  answeredInMs: number;
  reportPdfUrl: string;
  reportCsvUrl: string;
  scope: {
    frozenCount: number;
    foundLaterCount: number;
    finishedLots: unknown[];
    onHand: unknown[];
    shipments: unknown[];
  };
  exposure: { customers: unknown[]; sourceQuantity: Array<{ quantity: string; uom: string }> };
  reconciliation: { balanced: boolean; percentAccountedFor: number; lines: unknown[] };
}

interface Drill {
  fullMs: number;
  openMs: number;
  answeredInMs: number;
  pdfMs: number;
  csvMs: number;
  pdfBytes: number;
  csvBytes: number;
}

/**
 * `npm run bench -- recall-drill` (issue 21): a mock recall on a plant of 1,000,000 lots
 * (BENCH_LOTS, BENCH_SEED) from a supplier lot code received as 10 lots whose descendants reach
 * about 10,000 lots shipped to 200 customers. The plant is written straight into the databases
 * once and kept (recall-drill-cache.ts); the seeded plant is checked through the API; then, after
 * a warm-up, BENCH_RUNS drills each time openRecall(drill: true) with scope, exposure and
 * reconciliation in the answer, and the report's PDF and CSV downloaded: the full report. Embedded
 * mode, and services mode when DATABASE_URL and NATS_URL are set (BENCH_MODES).
 */
export async function main(): Promise<void> {
  const drilled = generateDrilledFamily(PARAMS.lots, PARAMS.seed);
  if (process.env.NEO4J_URI) {
    // The plant's genealogy is seeded in SQL; a Neo4j graph would need loading of its own.
    console.log("NEO4J_URI ignored: the seeded genealogy is in SQL (traceability's own database)");
    delete process.env.NEO4J_URI;
  }
  for (const mode of benchModes()) {
    console.log(
      `\nrecall drill, ${mode} mode: plant of ${familiesFor(PARAMS.lots)} families of ~10,000 lots (BENCH_LOTS ${PARAMS.lots}, seed ${PARAMS.seed})`,
    );
    const kept = await seededPlant(mode, PARAMS);
    const started = performance.now();
    const stack = await startBenchStack(mode, {}, kept);
    try {
      console.log(
        `  Lotgraph up on the plant in ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${mib(process.memoryUsage().rss)}`,
      );
      await checkPlant(stack, drilled);
      await measure(stack, mode, drilled);
    } finally {
      await stack.stop();
    }
  }
}

/**
 * The seeded plant through the API before anything is timed: the recall reaches what the
 * generator made, and sampled lots' quantities equal their ledgers.
 */
async function checkPlant(stack: BenchStack, drilled: DrilledFamily): Promise<void> {
  const { recall } = await stack.gql<{
    recall: { affectedLots: unknown[]; finishedLots: unknown[]; onHand: unknown[]; shipments: unknown[] };
  }>(
    stack.token,
    `query ($code: String!) { recall(supplierLotCode: $code) { affectedLots { id } finishedLots { id } onHand { id } shipments { id } } }`,
    { code: drilled.supplierLotCode },
  );
  const got = {
    affected: recall.affectedLots.length,
    finished: recall.finishedLots.length,
    onHand: recall.onHand.length,
    shipments: recall.shipments.length,
  };
  const want = {
    affected: drilled.affected,
    finished: drilled.finished,
    onHand: drilled.onHand,
    shipments: drilled.shipments,
  };
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(
      `the seeded plant's recall disagrees with the generator: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`,
    );
  for (const lotId of drilled.sampleLotIds) {
    const { lot } = await stack.gql<{
      lot: { code: string; quantity: string; movements: { edges: Array<{ node: { quantity: string } }> } };
    }>(
      stack.token,
      `query ($id: ID!) { lot(id: $id) { code quantity movements(first: 50) { edges { node { quantity } } } } }`,
      {
        id: lotId,
      },
    );
    const ledger = lot.movements.edges.reduce((sum, e) => sum + Math.round(Number(e.node.quantity) * 1000), 0);
    if (ledger !== Math.round(Number(lot.quantity) * 1000))
      throw new Error(`lot ${lot.code}: quantity ${lot.quantity} is not its ledger's sum ${ledger / 1000}`);
  }
  console.log(
    `  checked through the API: recall(${drilled.supplierLotCode}) reaches ${got.affected} lots from ${drilled.sourceLotIds.length}, ` +
      `${got.finished} finished, ${got.onHand} on hand, ${got.shipments} shipments to ${drilled.customers} customers; ` +
      `${drilled.sampleLotIds.length} sampled lots' quantities equal their ledgers`,
  );
}

async function measure(stack: BenchStack, mode: Mode, drilled: DrilledFamily): Promise<void> {
  const drills: Drill[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    for (let i = 0; i <= RUNS; i++) {
      const drill = await drillOnce(stack, drilled, i === 0);
      if (i > 0) drills.push(drill);
      else console.log(`  warm-up drill: full report in ${drill.fullMs.toFixed(0)} ms`);
    }
  } finally {
    clearInterval(sampler);
  }
  const first = drills[0]!;
  // Every part of the all-in-one runs on this process's one thread, beside whatever else the
  // machine runs: the load says how far the figures are from an idle machine's.
  const load = loadavg().map((l) => l.toFixed(1));
  console.log(`  load average ${load.join(" ")} on ${availableParallelism()} CPUs at the end of the drills`);
  console.log(
    `  ${RUNS} drills from ${drilled.supplierLotCode} (${drilled.affected} lots, ${drilled.customers} customers); report ` +
      `${(first.pdfBytes / 1024).toFixed(0)} KiB PDF, ${(first.csvBytes / 1024).toFixed(0)} KiB CSV`,
  );
  const line = (label: string, values: number[]) => console.log(`  ${label.padEnd(44)} ${summary(values)}`);
  line(
    "full report (send → answer, PDF, CSV in hand):",
    drills.map((d) => d.fullMs),
  );
  line(
    "openRecall answered (scope, exposure, recon.):",
    drills.map((d) => d.openMs),
  );
  line(
    "  of which answeredInMs (Lotgraph's own):",
    drills.map((d) => d.answeredInMs),
  );
  line(
    "report.pdf downloaded:",
    drills.map((d) => d.pdfMs),
  );
  line(
    "report.csv downloaded:",
    drills.map((d) => d.csvMs),
  );
  console.log(
    `  RSS ${mib(process.memoryUsage().rss)} after the drills, peak ${mib(peakRss)} (the whole all-in-one process)`,
  );
  const p50 = percentile(
    drills.map((d) => d.fullMs),
    50,
  );
  if (mode === "embedded")
    console.log(
      `  target: full report under ${TARGET_MS / 1000} s embedded: ${p50 < TARGET_MS ? "met" : "MISSED"} (p50 ${(p50 / 1000).toFixed(2)} s)`,
    );
}

async function drillOnce(stack: BenchStack, drilled: DrilledFamily, check: boolean): Promise<Drill> {
  const started = performance.now();
  const { openRecall } = await stack.gql<{ openRecall: { recallCase: OpenedCase } }>(stack.token, OPEN, {
    input: { supplierLotCode: drilled.supplierLotCode, reason: "Yearly mock recall (bench)", drill: true },
  });
  const opened = performance.now();
  const recallCase = openRecall.recallCase;
  const pdf = await download(stack, recallCase.reportPdfUrl, "application/pdf");
  const pdfDone = performance.now();
  const csv = await download(stack, recallCase.reportCsvUrl, "text/csv");
  const done = performance.now();
  if (check) checkAnswer(recallCase, drilled, pdf, csv);
  return {
    fullMs: done - started,
    openMs: opened - started,
    answeredInMs: recallCase.answeredInMs,
    pdfMs: pdfDone - opened,
    csvMs: done - pdfDone,
    pdfBytes: pdf.length,
    csvBytes: csv.length,
  };
}

/** A fast wrong answer is no figure: the first drill's answer and report are checked. */
function checkAnswer(recallCase: OpenedCase, drilled: DrilledFamily, pdf: Buffer, csv: Buffer): void {
  const problems: string[] = [];
  if (recallCase.scope.frozenCount !== drilled.affected)
    problems.push(`scope ${recallCase.scope.frozenCount} lots, want ${drilled.affected}`);
  if (recallCase.scope.finishedLots.length !== drilled.finished)
    problems.push(`${recallCase.scope.finishedLots.length} finished, want ${drilled.finished}`);
  if (recallCase.exposure.customers.length !== drilled.customers)
    problems.push(`exposure reaches ${recallCase.exposure.customers.length} customers, want ${drilled.customers}`);
  if (!recallCase.reconciliation.balanced || recallCase.reconciliation.percentAccountedFor !== 100)
    problems.push(`reconciliation not balanced: ${JSON.stringify(recallCase.reconciliation)}`);
  if (pdf.subarray(0, 5).toString("latin1") !== "%PDF-") problems.push("report.pdf is not a PDF");
  if (csv.toString("utf8").split("\n").length < drilled.customers)
    problems.push("report.csv has fewer lines than customers");
  if (problems.length > 0) throw new Error(`drill ${recallCase.number} answered wrongly: ${problems.join("; ")}`);
}

async function download(stack: BenchStack, path: string, type: string): Promise<Buffer> {
  const response = await fetch(new URL(path, stack.lotgraph.gatewayUrl), {
    headers: { authorization: `Bearer ${stack.token}` },
  });
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok || !response.headers.get("content-type")?.startsWith(type))
    throw new Error(
      `GET ${path}: ${response.status} ${response.headers.get("content-type")} ${body.subarray(0, 300).toString()}`,
    );
  return body;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(values: number[]): string {
  return `p50 ${percentile(values, 50).toFixed(0).padStart(5)} ms, max ${Math.max(...values)
    .toFixed(0)
    .padStart(5)} ms (n=${values.length})`;
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
