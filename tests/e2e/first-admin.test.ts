import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLotgraph } from "@lotgraph/lotgraph";
import { afterAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE } from "../support/lotgraph.ts";

/**
 * Issue 19: a first start without LOTGRAPH_ADMIN_PASSWORD generates the admin's password and
 * keeps it in a file only its owner can read, in a data directory only its owner can read.
 */
// Embedded pass only: the data directory holds the databases there; services mode keeps them in
// PostgreSQL, and its suites always set LOTGRAPH_ADMIN_PASSWORD.
describe.skipIf(TEST_MODE !== "embedded")("the first admin of a new installation", () => {
  let dataDir: string;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("gets a generated password in an owner-only file, once", async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), "lotgraph-first-admin-")), "data");
    const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: "warn" };
    delete env.LOTGRAPH_ADMIN_PASSWORD;
    const options = { env, dataDir, gatewayPort: 0, subgraphPorts: "ephemeral" as const, quiet: true };
    const first = await startLotgraph(options);
    try {
      const file = first.admin.passwordFile!;
      expect(file).toBe(join(dataDir, "first-admin-password"));
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      const password = (await readFile(file, "utf8")).trim();
      expect(await new TestClient(first.gatewayUrl).login(first.admin.email, password)).toMatch(/\./);
    } finally {
      await first.stop();
    }
    const again = await startLotgraph(options);
    try {
      expect(again.admin.passwordFile).toBeNull();
    } finally {
      await again.stop();
    }
  }, 120_000);
});
