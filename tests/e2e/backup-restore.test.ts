import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService, loadEnv, resolveJwtSecret, type LotgraphEnv } from "@lotgraph/kit";
import { dropServicesState } from "@lotgraph/kit/testing";
import { BackupRefused, restore, type BackupManifest } from "@lotgraph/lotgraph/backup";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { Neo4jDevServer } from "../support/neo4j-dev-server.ts";
import { create as createAs, runWorkOrder, type PlantCrew } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Everything the drill compares: lots, the stock ledger, a finished lot's genealogy, the audit chains. */
const STATE = `query ($finished: ID!) {
  lots(first: 100) { totalCount edges { node { id code quantity status qualityStatus createdAt updatedAt location { code parent { code } } } } }
  stockMovements(first: 100) { totalCount edges { node { id kind quantity balance createdAt lot { id } } } }
  trace(lotId: $finished, direction: UPSTREAM) { nodes { lot { id } depth } edges { parent { id } child { id } quantity run { id } } }
  auditChainStatus { subgraph length headHash verified firstBrokenSeq }
}`;

interface State {
  lots: { totalCount: number; edges: Array<{ node: { id: string; code: string } }> };
  stockMovements: { totalCount: number; edges: Array<{ node: { id: string } }> };
  trace: { nodes: Array<{ lot: { id: string }; depth: number }>; edges: unknown[] };
  auditChainStatus: Array<{ subgraph: string; length: number; headHash: string | null; verified: boolean }>;
}

/** The state as a value to compare: lists in a fixed order, and when the chains were checked left out. */
async function stateOf(client: TestClient, finished: string): Promise<State> {
  const state = await client.expectData<State>(STATE, { finished });
  const byId = <T extends { node: { id: string } }>(edges: T[]) =>
    [...edges].sort((a, b) => a.node.id.localeCompare(b.node.id));
  state.lots.edges = byId(state.lots.edges);
  state.stockMovements.edges = byId(state.stockMovements.edges);
  state.trace.nodes.sort((a, b) => a.lot.id.localeCompare(b.lot.id));
  state.trace.edges.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return state;
}

/** `npm run backup` / `npm run restore` as an operator runs them (the script, without the codegen step). */
function runScript(
  script: "backup" | "restore" | "rebuild-genealogy",
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "scripts", `${script}.ts`), ...args],
      { cwd: ROOT, env, timeout: 120_000 },
      (error, _stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stderr });
      },
    );
  });
}

/**
 * The restore drill of issue 22 (docs/decisions/0026): a shift through the gateway, a backup
 * taken by the command while Lotgraph runs, more writes, a restore into a fresh data directory
 * (embedded) or fresh schemas (services), and a stack started on it shows the state as it was at
 * the backup, with every audit chain verified. Damaged and mismatched backups are refused and
 * leave the target as it was.
 */
describe(`backup and restore drill (${TEST_MODE} mode)`, () => {
  let original: Lotgraph;
  let originalStopped = false;
  let restored: Lotgraph | undefined;
  /** Services mode with Neo4j: a server of the drill's own, as the restore empties the graph it rebuilds. */
  let neo4jLaunch: Promise<Neo4jDevServer> | null = null;
  let neo4j: Neo4jDevServer | null = null;
  let neo4jEnv: Record<string, string> = {};
  let work: string;
  let backupDir: string;
  let manifest: BackupManifest;
  let atBackup: State;
  let finished: string;
  let adminPassword: string;
  const ids: Record<string, string> = {};

  /** The environment an operator runs the commands with: the installation's own settings. */
  const commandEnv = (dataDir: string): Record<string, string | undefined> => {
    const env: Record<string, string | undefined> = { ...process.env, LOTGRAPH_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
    if (TEST_MODE === "embedded") delete env.DATABASE_URL;
    else env.LOTGRAPH_JWT_SECRET = original.env.LOTGRAPH_JWT_SECRET;
    return env;
  };

  /** Where each restore goes: a fresh data directory (embedded) or a fresh schema prefix (services). */
  const freshTarget = async (name: string): Promise<{ env: LotgraphEnv; schemaPrefix: string; dataDir: string }> => {
    const dataDir = join(work, `target-${name}`);
    const source = commandEnv(dataDir);
    return { env: loadEnv(source), schemaPrefix: `r${name}${original.schemaPrefix}`.slice(0, 30), dataDir };
  };

  /** Whether a restore target holds anything: the data directory's engine, or any of the schemas. */
  const targetHoldsData = async (target: { schemaPrefix: string; dataDir: string }): Promise<boolean> => {
    if (TEST_MODE === "embedded") return existsSync(join(target.dataDir, "pglite"));
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT 1 FROM pg_namespace WHERE nspname LIKE $1", [
        `${target.schemaPrefix}\\_%`,
      ]);
      return rows.length > 0;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "lotgraph-backup-drill-"));
    backupDir = join(work, "backup");
    if (TEST_MODE === "services" && process.env.NEO4J_URI) {
      // Started now, used at the restore: its JVM starts while the original stack works.
      neo4jLaunch = Neo4jDevServer.launch();
      neo4jLaunch.catch(() => undefined);
    }
    // The original puts its genealogy where every suite of the run does (the run's Neo4j, or SQL).
    original = await startTestLotgraph();
    adminPassword = original.admin.password!;
    const anonymous = new TestClient(original.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(original.admin.email, adminPassword));
    const create = (mutation: string, input: Record<string, unknown>, field: string) =>
      createAs(admin, mutation, input, field);

    // A minimal shift: a receipt, one run that consumes it and makes a finished lot.
    // A site and an area in it: a table that refers to itself.
    ids.site = await create("createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.store = await create(
      "createLocation",
      { code: "STORE", name: "Store", kind: "AREA", parentId: ids.site },
      "location",
    );
    ids.mill = await create("createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    const material = (sku: string, kind: string) =>
      create("createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.raw = await material("RAW", "RAW");
    ids.fg = await material("FG", "FINISHED");
    ids.r1 = await create(
      "receiveLot",
      {
        code: "R1",
        materialId: ids.raw,
        quantity: "100.125",
        supplierId: ids.mill,
        supplierLotCode: "SL-1",
        locationId: ids.store,
      },
      "lot",
    );
    const crew: PlantCrew = { manager: admin, operator: admin };
    const run = await runWorkOrder(crew, {
      productId: ids.fg,
      locationId: ids.store,
      consume: [[ids.r1, "10.5"]],
      output: [["FG1", "8"]],
    });
    finished = run.lots[0]!;
    // The genealogy is a projection: the backup is taken once traceability has seen the run.
    atBackup = await eventually(
      async () => {
        const state = await stateOf(admin, finished);
        expect(state.trace.nodes.map((node) => node.lot.id)).toContain(ids.r1);
        return state;
      },
      { timeoutMs: 60_000 },
    );

    if (TEST_MODE === "embedded") {
      // The snapshot route serves the backup command only: no token, another internal principal,
      // or a person's ADMIN token (a backup holds password hashes and the signing key) reads nothing.
      const route = new URL("/admin/backup", original.gatewayUrl);
      expect((await fetch(route, { method: "POST" })).status).toBe(401);
      const auditor = await new TokenService(await resolveJwtSecret(original.env)).sign(
        { id: "service:auditor", name: "auditor", kind: "internal", roles: ["AUDITOR", "ADMIN"] },
        60,
      );
      for (const token of [auditor, admin.token!]) {
        const refused = await fetch(route, { method: "POST", headers: { authorization: `Bearer ${token}` } });
        expect([refused.status, (await refused.text()).trim()]).toEqual([
          403,
          "FORBIDDEN: backups are taken with `npm run backup` on the machine Lotgraph runs on",
        ]);
      }
    }

    // The command, in its own process, while Lotgraph runs.
    const backup = await runScript(
      "backup",
      [backupDir, "--schema-prefix", original.schemaPrefix],
      commandEnv(original.dataDir),
    );
    expect(backup.stderr).toContain("backup: done");
    expect(backup.code).toBe(0);
    // Nothing else opens a running embedded data directory (two engines on one corrupt it): the
    // genealogy rebuild refuses like restore does.
    if (TEST_MODE === "embedded") {
      const rebuild = await runScript("rebuild-genealogy", [], commandEnv(original.dataDir));
      expect(rebuild.code).toBe(1);
      expect(rebuild.stderr.trim()).toMatch(
        new RegExp(`^rebuild-genealogy refused: Lotgraph runs on ${original.dataDir} \\(pid \\d+, http://`),
      );
    }
    manifest = JSON.parse(await readFile(join(backupDir, "manifest.json"), "utf8")) as BackupManifest;

    // Writes after the backup, which the restored state must not have.
    ids.r2 = await create(
      "receiveLot",
      {
        code: "R2",
        materialId: ids.raw,
        quantity: "5",
        supplierId: ids.mill,
        supplierLotCode: "SL-2",
        locationId: ids.store,
      },
      "lot",
    );
    await original.stop();
    originalStopped = true;
    if (neo4jLaunch) {
      neo4j = await neo4jLaunch;
      neo4jEnv = neo4j.env;
    }
  }, 240_000);

  afterAll(async () => {
    await restored?.cleanup();
    // A drill that failed between its restore and the restored stack's start leaves the schemas.
    if (!restored && original && TEST_MODE === "services") {
      await dropServicesState((await freshTarget("drill")).schemaPrefix).catch(() => undefined);
    }
    // The original was stopped after its last write; its data (directory, or schemas and stream) goes now.
    if (original) {
      if (!originalStopped) await original.stop();
      await rm(original.dataDir, { recursive: true, force: true });
      if (TEST_MODE === "services") await dropServicesState(original.schemaPrefix);
    }
    await (neo4j ?? (await neo4jLaunch?.catch(() => null)))?.dispose();
    await rm(work, { recursive: true, force: true });
  });

  it("writes a manifest of the mode, each subgraph's migrations, and per-file checksums and row counts", () => {
    expect(manifest).toMatchObject({ format: "lotgraph-backup", formatVersion: 1, mode: TEST_MODE });
    expect(Object.keys(manifest.subgraphs).sort()).toEqual([
      "identity",
      "inventory",
      "production",
      "quality",
      "traceability",
    ]);
    const lots = manifest.subgraphs.inventory.tables.find((table) => table.table === "lot")!;
    expect(lots).toMatchObject({ rows: 2, path: "inventory/lot.ndjson" });
    expect(lots.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.subgraphs.inventory.migrations.map((m) => m.id)).toContain("kit/0001_kit_runtime");
  });

  it("refuses a damaged or mismatched backup with one line, and leaves the target untouched", async () => {
    const damaged = async (name: string, damage: (dir: string) => Promise<void>) => {
      const dir = join(work, `damaged-${name}`);
      await cp(backupDir, dir, { recursive: true });
      await damage(dir);
      const target = await freshTarget(name);
      const refusal = await restore({ env: target.env, dir, schemaPrefix: target.schemaPrefix, neo4jEnv }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(BackupRefused);
      expect(await targetHoldsData(target)).toBe(false);
      return (refusal as Error).message;
    };
    /** Rewrites the manifest and its line in SHA256SUMS, as someone who edits it on purpose would. */
    const editManifest = (edit: (manifest: BackupManifest) => void) => async (dir: string) => {
      const edited = structuredClone(manifest);
      edit(edited);
      const text = `${JSON.stringify(edited, null, 2)}\n`;
      await writeFile(join(dir, "manifest.json"), text);
      const { createHash } = await import("node:crypto");
      const sums = (await readFile(join(dir, "SHA256SUMS"), "utf8")).replace(
        /^[0-9a-f]{64} {2}manifest\.json$/m,
        `${createHash("sha256").update(text).digest("hex")}  manifest.json`,
      );
      await writeFile(join(dir, "SHA256SUMS"), sums);
    };

    expect(
      await damaged("flipped", async (dir) => {
        const path = join(dir, "inventory", "lot.ndjson");
        const bytes = await readFile(path);
        bytes[10] = bytes[10]! ^ 0x01;
        await writeFile(path, bytes);
      }),
    ).toBe(
      `restore refused: the backup in ${join(work, "damaged-flipped")} is damaged: inventory/lot.ndjson does not match its sha256`,
    );
    expect(await damaged("truncated", (dir) => writeFile(join(dir, "inventory", "stock_movement.ndjson"), ""))).toMatch(
      /inventory\/stock_movement\.ndjson has 0 bytes, the manifest says \d+ \(truncated\?\)$/,
    );
    expect(await damaged("nomanifest", (dir) => rm(join(dir, "manifest.json")))).toMatch(
      /damaged: manifest\.json is missing$/,
    );
    expect(
      await damaged("edited", async (dir) => {
        const path = join(dir, "manifest.json");
        await writeFile(
          path,
          (await readFile(path, "utf8")).replace('"kit/0001_kit_runtime"', '"kit/0001_kit_runtim"'),
        );
      }),
    ).toMatch(/damaged: manifest\.json does not match its checksum$/);
    expect(
      await damaged(
        "unknown",
        editManifest((m) =>
          m.subgraphs.inventory.migrations.push({ id: "29990101000000_from_the_future", checksum: "0".repeat(64) }),
        ),
      ),
    ).toBe(
      "restore refused: the backup's inventory has migration 29990101000000_from_the_future, which this Lotgraph does not know; restore it with the version that made it",
    );
    const other = TEST_MODE === "embedded" ? "services" : "embedded";
    expect(
      await damaged(
        "mode",
        editManifest((m) => (m.mode = other)),
      ),
    ).toMatch(
      new RegExp(`^restore refused: the backup is of ${other} mode and this Lotgraph runs in ${TEST_MODE} mode`),
    );

    // The command prints the one line and exits non-zero.
    const target = await freshTarget("cli");
    const cli = await runScript(
      "restore",
      [join(work, "damaged-flipped"), "--schema-prefix", target.schemaPrefix],
      commandEnv(target.dataDir),
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr.trim().split("\n")).toEqual([
      `restore refused: the backup in ${join(work, "damaged-flipped")} is damaged: inventory/lot.ndjson does not match its sha256`,
    ]);
  }, 120_000);

  // Embedded only: a data directory and its jwt-secret file are embedded mode's (services mode
  // restores into schemas and takes its secret from LOTGRAPH_JWT_SECRET).
  it.runIf(TEST_MODE === "embedded")(
    "keeps a restored directory owner-only, and --force gives it a new JWT secret",
    async () => {
      const target = await freshTarget("force");
      await restore({ env: target.env, dir: backupDir, schemaPrefix: target.schemaPrefix, neo4jEnv });
      // Owner-only before any start: it holds password hashes and the evidence-signing key.
      expect((await stat(target.dataDir)).mode & 0o777).toBe(0o700);
      const secret = join(target.dataDir, "jwt-secret");
      await writeFile(secret, "the-secret-of-the-database-replaced", { mode: 0o600 });
      await restore({ env: target.env, dir: backupDir, schemaPrefix: target.schemaPrefix, neo4jEnv, force: true });
      // The next start makes a new one: no token of the replaced database opens the restored one.
      expect(existsSync(secret)).toBe(false);
    },
    120_000,
  );

  it("restores the state at backup time: lots, ledger, genealogy, verified audit chains; later writes absent", async () => {
    const target = await freshTarget("drill");
    await restore({ env: target.env, dir: backupDir, schemaPrefix: target.schemaPrefix, neo4jEnv });
    if (TEST_MODE === "services") {
      // The original's schemas are as they were: the restore wrote only the new ones.
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      const { rows } = await client
        .query<{ codes: string[] }>(
          `SELECT array_agg(code ORDER BY code) AS codes FROM "${original.schemaPrefix}_inventory".lot`,
        )
        .finally(() => client.end());
      expect(rows[0]!.codes).toEqual(["FG1", "R1", "R2"]);
    }
    // A second restore onto it is refused: the target is no longer fresh.
    await expect(
      restore({ env: target.env, dir: backupDir, schemaPrefix: target.schemaPrefix, neo4jEnv }),
    ).rejects.toThrow(/^restore refused: .* already hold/);

    restored = await startTestLotgraph({
      dataDir: target.dataDir,
      schemaPrefix: target.schemaPrefix,
      env: { ...neo4jEnv, LOTGRAPH_ADMIN_PASSWORD: adminPassword },
    });
    const anonymous = new TestClient(restored.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(original.admin.email, adminPassword));
    const now = await stateOf(admin, finished);
    // Signing in to the restored stack is itself audited, by identity: one entry on top of the chain.
    const identityChain = (state: State) => state.auditChainStatus.find((chain) => chain.subgraph === "identity")!;
    expect(identityChain(now).length).toBe(identityChain(atBackup).length + 1);
    const withoutIdentity = (state: State) => ({
      ...state,
      auditChainStatus: state.auditChainStatus.filter((chain) => chain.subgraph !== "identity"),
    });
    expect(withoutIdentity(now)).toEqual(withoutIdentity(atBackup));
    expect(now.auditChainStatus.map((chain) => chain.verified)).toEqual(now.auditChainStatus.map(() => true));
    expect(now.lots.edges.map((edge) => edge.node.code).sort()).toEqual(["FG1", "R1"]);
    expect(await admin.expectData<{ lot: null }>(`query ($id: ID!) { lot(id: $id) { id } }`, { id: ids.r2 })).toEqual({
      lot: null,
    });

    // The restored plant works on: a write, and its audit chain still verifies.
    await createAs(
      admin,
      "receiveLot",
      {
        code: "R3",
        materialId: ids.raw,
        quantity: "1",
        supplierId: ids.mill,
        supplierLotCode: "SL-3",
        locationId: ids.store,
      },
      "lot",
    );
    const chains = (
      await admin.expectData<Pick<State, "auditChainStatus">>(
        `{ auditChainStatus { subgraph length headHash verified } }`,
      )
    ).auditChainStatus;
    expect(chains.every((chain) => chain.verified)).toBe(true);
  }, 180_000);
});
