import type { SqlDriver } from "@lotgraph/kit";
import { benchModes, startBenchStack, type Mode } from "./bench-stack.ts";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const MATERIALS = 20;
const BINS = 10;

interface Job {
  id: string;
  status: string;
  importedRows: number;
  alreadyPresentRows: number;
  failedRows: number;
  startedAt: string | null;
  finishedAt: string | null;
}

const JOB = "id status importedRows alreadyPresentRows failedRows startedAt finishedAt";

/**
 * Bulk import throughput (issue 20): 10,000 opening-stock rows (BENCH_IMPORT_ROWS) through the
 * gateway, as a dry run, as a VALID_ROWS import, and again (every row already present). Figures
 * are rows/s from startImport to the job's end as the client sees it, and the job's own time
 * (startedAt → finishedAt); then how long the events took to settle downstream (traceability's
 * projection of every lot). Embedded mode and, when DATABASE_URL and NATS_URL are set, services
 * mode (BENCH_MODES narrows it down).
 */
export async function main(): Promise<void> {
  for (const mode of benchModes()) await measure(mode);
}

function openingStock(): string {
  const lines = ["sku,locationCode,lotCode,quantity,supplierCode,supplierLotCode,expiresAt"];
  for (let row = 1; row <= ROWS; row++) {
    lines.push(
      [
        `BI-RAW-${row % MATERIALS}`,
        `BI-BIN-${row % BINS}`,
        `BI-${String(row).padStart(6, "0")}`,
        `${(row % 500) + 1}.5`,
        "BI-MILL",
        `SL-${row % 250}`,
        "2031-06-30",
      ].join(","),
    );
  }
  return lines.join("\n");
}

async function measure(mode: Mode): Promise<void> {
  const stack = await startBenchStack(mode);
  const { lotgraph, gql, token } = stack;
  try {
    const run = async (input: Record<string, unknown>): Promise<{ job: Job; seconds: number }> => {
      const started = performance.now();
      const { startImport } = await gql<{ startImport: { importJob: { id: string } } }>(
        token,
        `mutation ($input: StartImportInput!) { startImport(input: $input) { importJob { id } } }`,
        { input },
      );
      for (;;) {
        const { importJob } = await gql<{ importJob: Job }>(
          token,
          `query ($id: ID!) { importJob(id: $id) { ${JOB} } }`,
          {
            id: startImport.importJob.id,
          },
        );
        if (importJob.status === "SUCCEEDED" || importJob.status === "FAILED")
          return { job: importJob, seconds: (performance.now() - started) / 1000 };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const json = (rows: unknown[]) => JSON.stringify(rows);
    await run({
      kind: "MATERIALS",
      format: "JSON",
      content: json(
        Array.from({ length: MATERIALS }, (_, i) => ({
          sku: `BI-RAW-${i}`,
          name: `Raw ${i}`,
          uom: "kg",
          kind: "RAW",
          tracking: "LOT",
        })),
      ),
    });
    await run({
      kind: "LOCATIONS",
      format: "JSON",
      content: json([
        { code: "BI-SITE", name: "Bench site", kind: "SITE" },
        ...Array.from({ length: BINS }, (_, i) => ({
          code: `BI-BIN-${i}`,
          name: `Bin ${i}`,
          kind: "BIN",
          parentCode: "BI-SITE",
        })),
      ]),
    });
    await run({
      kind: "PARTIES",
      format: "JSON",
      content: json([{ code: "BI-MILL", name: "Mill", kind: "SUPPLIER" }]),
    });

    const content = openingStock();
    const base = { kind: "OPENING_STOCK", format: "CSV", content, mode: "VALID_ROWS" };
    console.log(
      `\nbulk import through the gateway, ${mode} mode: ${ROWS} opening-stock rows (${(Buffer.byteLength(content) / 1024).toFixed(0)} KiB CSV)`,
    );
    const report = (label: string, { job, seconds }: { job: Job; seconds: number }) => {
      const jobSeconds =
        job.startedAt && job.finishedAt ? (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000 : NaN;
      console.log(
        `  ${label.padEnd(22)} ${(ROWS / seconds).toFixed(0).padStart(6)} rows/s  ${seconds.toFixed(1).padStart(5)} s total  (job ${jobSeconds.toFixed(1)} s; ${job.status}, imported ${job.importedRows}, present ${job.alreadyPresentRows}, failed ${job.failedRows})`,
      );
    };
    report("dry run", await run({ ...base, dryRun: true }));
    const real = await run(base);
    report("VALID_ROWS import", real);
    const settledMs = await settled(lotgraph.databases.traceability, ROWS);
    console.log(
      settledMs === null
        ? "  events settled         not measured (the genealogy is in Neo4j)"
        : `  events settled         ${(settledMs / 1000).toFixed(1)} s after the job's end (every lot in traceability)`,
    );
    report("same file again", await run({ ...base, content }));
  } finally {
    await stack.stop();
  }
}

/** Milliseconds until traceability's SQL genealogy holds every imported lot (null with Neo4j). */
async function settled(traceability: SqlDriver, lots: number): Promise<number | null> {
  if (process.env.NEO4J_URI) return null;
  const start = performance.now();
  for (;;) {
    const [row] = await traceability.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM genealogy_lot WHERE code LIKE 'BI-%'",
    );
    if ((row?.n ?? 0) >= lots || performance.now() - start > 300_000) return performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
