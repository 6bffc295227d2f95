import { randomUUID } from "node:crypto";
import { verifyAuditChain } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectLedgerConsistent, startInventory, testTargets, type TestInventory } from "./support.ts";

interface Job {
  id: string;
  status: string;
  processedRows: number;
  importedRows: number;
  alreadyPresentRows: number;
  failedRows: number;
  failure: string | null;
}

/** Retries `assertion` until it passes or 20 s have gone by (a job runs in the background). */
async function eventually<T>(assertion: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const JOB = "id status processedRows importedRows alreadyPresentRows failedRows failure";
const START = `mutation ($input: StartImportInput!) { startImport(input: $input) { importJob { id } } }`;

/**
 * Bulk import inside inventory: what each imported entity leaves behind (the same audit entry,
 * event and start as its single mutation), and a job left behind by a stopped replica.
 */
describe.each(testTargets())("bulk import in inventory ($name)", (target) => {
  let inv: TestInventory;

  const job = async (id: string) =>
    (await inv.data<{ importJob: Job }>(`query ($id: ID!) { importJob(id: $id) { ${JOB} } }`, { id })).importJob;
  const finished = (id: string) =>
    eventually(async () => {
      const read = await job(id);
      expect(["SUCCEEDED", "FAILED"]).toContain(read.status);
      return read;
    });
  const run = async (kind: string, content: string, extra: Record<string, unknown> = {}) => {
    const { startImport } = await inv.data<{ startImport: { importJob: { id: string } } }>(
      START,
      { input: { kind, format: "CSV", content, mode: "VALID_ROWS", ...extra } },
      inv.tokens.manager,
    );
    return finished(startImport.importJob.id);
  };
  const count = async (sql: string, ...params: unknown[]) =>
    Number((await inv.sql.query<{ n: string }>(sql, params))[0]?.n);

  beforeAll(async () => {
    inv = await startInventory(target);
    await run(
      "MATERIALS",
      "sku,name,uom,kind,tracking,inspectionRequired\nI-FLOUR,Flour,kg,RAW,LOT,\nI-EGG,Egg,ea,RAW,LOT,true",
    );
    await run("LOCATIONS", "code,name,kind,parentCode\nI-SITE,Site,SITE,\nI-BIN,Bin,BIN,I-SITE");
    await run("PARTIES", "code,name,kind\nI-MILL,Mill,SUPPLIER");
  });
  afterAll(async () => inv?.close());

  it("gives every created entity its audit entry and event, and opening stock the start receiveLot gives", async () => {
    const done = await run(
      "OPENING_STOCK",
      "sku,locationCode,lotCode,quantity,supplierCode\nI-FLOUR,I-BIN,I-L1,10.5,I-MILL\nI-EGG,I-BIN,I-L2,12,\nI-FLOUR,I-BIN,I-L3,0.25,",
    );
    expect(done).toMatchObject({ status: "SUCCEEDED", importedRows: 3 });
    const { lot } = await inv.data<{
      lot: { status: string; quantity: string; awaitingRelease: Array<{ kind: string }> };
    }>(`{ lot(code: "I-L2") { status quantity awaitingRelease { kind } } }`);
    expect(lot).toEqual({ status: "QUARANTINE", quantity: "12", awaitingRelease: [{ kind: "INSPECTION" }] });
    for (const [action, entityType, subject, n] of [
      ["material.created", "Material", "lotgraph.inventory.material.created", 2],
      ["location.created", "Location", "lotgraph.inventory.location.created", 2],
      ["party.created", "Party", "lotgraph.inventory.party.created", 1],
      ["lot.received", "Lot", "lotgraph.inventory.lot.received", 3],
    ] as const) {
      expect(
        await count("SELECT count(*) AS n FROM audit_log WHERE action = $1 AND entity_type = $2", action, entityType),
      ).toBe(n);
      expect(await count("SELECT count(*) AS n FROM outbox WHERE subject = $1", subject)).toBe(n);
    }
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE reason LIKE $1", `import ${done.id}, row %`)).toBe(3);
    // Progress is published at every change of status: QUEUED, VALIDATING, RUNNING, SUCCEEDED.
    const progress = await inv.sql.query<{ status: string }>(
      "SELECT payload->>'status' AS status FROM outbox WHERE subject = $1 AND entity_id = $2 ORDER BY seq",
      ["lotgraph.inventory.import.progressed", done.id],
    );
    expect(progress.map((p) => p.status)).toEqual(["QUEUED", "VALIDATING", "RUNNING", "SUCCEEDED"]);
    await expectLedgerConsistent(inv.sql);
    expect((await verifyAuditChain(inv.sql)).ok).toBe(true);
  });

  it("resumes a job a stopped replica left RUNNING from its committed rows, once its lease has run out", async () => {
    const content =
      "sku,locationCode,lotCode,quantity\n" + [1, 2, 3, 4].map((n) => `I-FLOUR,I-BIN,R-${n},${n}`).join("\n");
    // What the stopped replica had committed: rows 1 and 2, with the job's counters.
    await run("OPENING_STOCK", content.split("\n").slice(0, 3).join("\n"));
    const insert = (id: string, leaseSeconds: number) =>
      inv.sql.query(
        `INSERT INTO import_job (id, kind, format, mode, dry_run, status, content, total_rows, processed_rows,
            imported_rows, created_by_id, created_by_name, created_at, started_at, lease_owner, lease_until)
         VALUES ($1::uuid, 'OPENING_STOCK', 'CSV', 'VALID_ROWS', false, 'RUNNING', $2, 4, 2, 2, 'user-mia-manager',
            'Mia Manager', now() - interval '1 hour', now() - interval '1 hour', 'gone', now() + make_interval(secs => $3))`,
        [id, content, leaseSeconds],
      );
    const stale = randomUUID();
    const held = randomUUID();
    await insert(stale, -5);
    await insert(held, 600); // another replica still holds this one
    // Any start wakes the runner; it takes the oldest job nobody holds first.
    await run("PARTIES", "code,name,kind\nI-MILL,Mill,SUPPLIER", { dryRun: true });
    expect(await finished(stale)).toMatchObject({
      status: "SUCCEEDED",
      processedRows: 4,
      importedRows: 4,
      alreadyPresentRows: 0,
      failedRows: 0,
    });
    expect(await count("SELECT count(*) AS n FROM lot WHERE code LIKE 'R-%'")).toBe(4);
    expect((await job(held)).status).toBe("RUNNING");
    await expectLedgerConsistent(inv.sql);
  });

  it("refuses an operator, and a kind's unknown column before any job exists", async () => {
    const input = { kind: "PARTIES", format: "CSV", content: "code,name,kind\nX,Y,SUPPLIER" };
    expect((await inv.error(START, { input }, inv.tokens.operator)).code).toBe("FORBIDDEN");
    const bad = await inv.error(
      START,
      { input: { ...input, content: "code,name,kind,colour\nX,Y,SUPPLIER,red" } },
      inv.tokens.manager,
    );
    expect(bad).toMatchObject({ code: "BAD_USER_INPUT", extensions: { field: "content" } });
    expect(bad.message).toMatch(/unknown column "colour"/);
  });
});
