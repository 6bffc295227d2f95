import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { buildLauncher, serviceBundle, type SERVICE_ENTRIES } from "@lotgraph/lotgraph/build";
import { freePort } from "@lotgraph/lotgraph/free-port";
import { dropServicesState } from "@lotgraph/kit/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopChild } from "../support/child-process.ts";
import { TestClient } from "../support/graphql-client.ts";
import { LiveTestClient } from "../support/live-client.ts";
import { TEST_MODE } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";
import { scrape } from "../support/prometheus.ts";
import { eventually } from "../support/wait.ts";

type Service = keyof typeof SERVICE_ENTRIES;
const SUBGRAPHS = ["identity", "inventory", "production", "quality", "traceability"] as const;
const ADMIN_PASSWORD = "bundles-admin-password";
/** Each process fetches identity's credential list this often here (the default is 10 s). */
const CREDENTIAL_REFRESH_SECONDS = 2;

/**
 * What the images run (decision 0018): each service's compiled bundle as its own process, plain
 * node, in services mode. The other services-mode suites run the same modules from TypeScript in
 * one process; this one holds the bundles to a path through the gateway and every subgraph over
 * HTTP, with a cross-service write (quality → inventory) and the bus (inventory → traceability).
 * It needs PostgreSQL and NATS, so it runs in the services pass only; the processes get a
 * database of their own (they always use the `lotgraph_<subgraph>` schemas), dropped afterwards.
 */
// Skipped in the embedded pass (reason above): separate processes need PostgreSQL and NATS.
describe.skipIf(TEST_MODE !== "services")("the compiled services, each its own process", () => {
  const unique = randomBytes(4).toString("hex");
  const database = `lotgraph_bundles_${unique}`;
  const busNamespace = `bundles${unique}`;
  const children: ChildProcess[] = [];
  let admin: TestClient;
  let gatewayUrl: string;
  /** Each process's own metrics server (LOTGRAPH_METRICS_PORT). */
  const metricsPorts = {} as Record<Service, number>;

  beforeAll(async () => {
    await buildLauncher();
    await adminQuery(`CREATE DATABASE ${database}`);
    const databaseUrl = new URL(process.env.DATABASE_URL!);
    databaseUrl.pathname = `/${database}`;
    const ports = Object.fromEntries(
      await Promise.all(["gateway", ...SUBGRAPHS].map(async (name) => [name, await freePort()] as const)),
    ) as Record<Service, number>;
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATABASE_URL: databaseUrl.href,
      LOTGRAPH_JWT_SECRET: randomBytes(32).toString("hex"),
      LOTGRAPH_BUS_NAMESPACE: busNamespace,
      LOTGRAPH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOTGRAPH_CREDENTIAL_REFRESH_SECONDS: String(CREDENTIAL_REFRESH_SECONDS),
      LOG_LEVEL: "error",
      ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, graphqlUrl(ports[name])])),
    };
    // Identity first: it makes the first admin; the others need nothing from each other to start.
    for (const name of [...SUBGRAPHS, "gateway"] as const) {
      metricsPorts[name] = await freePort();
      children.push(
        start(name, { ...env, PORT: String(ports[name]), LOTGRAPH_METRICS_PORT: String(metricsPorts[name]) }),
      );
      if (name === "identity") await ready(ports.identity);
    }
    await Promise.all(Object.values(ports).map(ready));
    gatewayUrl = graphqlUrl(ports.gateway);
    const anonymous = new TestClient(gatewayUrl);
    admin = anonymous.as(await anonymous.login("admin@lotgraph.local", ADMIN_PASSWORD));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(children.map(stopChild));
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await dropServicesState(busNamespace);
  }, 60_000);

  it("serve the whole graph through the gateway, writes across services included", async () => {
    const locationId = await create(
      admin,
      "createLocation",
      { code: "S-SITE", name: "Site", kind: "SITE" },
      "location",
    );
    const materialId = await create(
      admin,
      "createMaterial",
      { sku: "S-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    const lotId = await create(admin, "receiveLot", { materialId, quantity: "12.5", locationId, code: "S-1" }, "lot");
    await admin.expectData(`mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, {
      input: { lotId, reason: "Seal broken on arrival" },
    });
    await eventually(async () =>
      expect(
        (
          await admin.expectData<{ lot: unknown }>(
            `query ($id: ID) { lot(id: $id) { code status qualityStatus material { sku } holds { active } children { id } } }`,
            { id: lotId },
          )
        ).lot,
      ).toEqual({
        code: "S-1",
        status: "ON_HOLD",
        qualityStatus: "ON_HOLD",
        material: { sku: "S-FLOUR" },
        holds: [{ active: true }],
        children: [],
      }),
    );
  });

  it("serve each its own metrics, on their own port", async () => {
    for (const name of ["gateway", ...SUBGRAPHS] as const) {
      const figures = await scrape(`http://127.0.0.1:${metricsPorts[name]}/metrics`);
      const services = new Set(figures.matching("lotgraph_http_requests_total").map((s) => s.labels.service));
      expect([...services], name).toEqual([name]);
      expect(figures.matching("process_resident_memory_bytes"), name).toHaveLength(1);
    }
    const inventory = await scrape(`http://127.0.0.1:${metricsPorts.inventory}/metrics`);
    expect(inventory.sum("lotgraph_graphql_operations_total", { service: "inventory" })).toBeGreaterThan(0);
    expect(inventory.matching("lotgraph_db_pool_connections", { pool: "prisma", state: "idle" })).toHaveLength(1);
    expect(inventory.matching("lotgraph_outbox_backlog", { service: "inventory" })).toHaveLength(1);
    const gateway = await scrape(`http://127.0.0.1:${metricsPorts.gateway}/metrics`);
    expect(gateway.sum("lotgraph_subgraph_fetch_duration_seconds_count", { transport: "http" })).toBeGreaterThan(0);
    expect((await fetch(new URL("/metrics", gatewayUrl))).status).toBe(404);
  });

  // Each process keeps its own copy of identity's credential list (decision 0019): this is the
  // bound across processes, which the one-process suite (credentials.test.ts) cannot show.
  it("end a deactivated person's access, and apply new roles, in every process within the refresh bound", async () => {
    const anonymous = new TestClient(gatewayUrl);
    const email = "bound@plant.test";
    const userId = await create(
      admin,
      "createUser",
      { email, name: "Bound", roles: ["VIEWER"], password: "bound-person-password" },
      "user",
    );
    const person = anonymous.as(await anonymous.login(email, "bound-person-password"));
    const newLocation = (code: string) =>
      `mutation { createLocation(input: {code: "${code}", name: "Site ${code}", kind: SITE}) { location { id } } }`;
    expect(await person.expectErrorCode(newLocation("B-1"))).toBe("FORBIDDEN");
    await admin.expectData(`mutation ($input: UpdateUserInput!) { updateUser(input: $input) { user { id } } }`, {
      input: { userId, roles: ["MANAGER"] },
    });
    // Inventory, a process of its own, enforces the role: it must have fetched the new list.
    const bound = (CREDENTIAL_REFRESH_SECONDS + 3) * 1000;
    await eventually(async () => expect(await person.expectData(newLocation("B-2"))).toBeTruthy(), {
      timeoutMs: bound,
    });

    const live = LiveTestClient.withToken(gatewayUrl, person.token!);
    live.subscribe(`subscription { lotChanged { id } }`);
    await person.expectData(`{ me { id } }`);
    try {
      const deactivatedAt = Date.now();
      await admin.expectData(
        `mutation ($input: DeactivateUserInput!) { deactivateUser(input: $input) { user { id } } }`,
        {
          input: { userId },
        },
      );
      await eventually(async () => expect(await person.expectErrorCode(`{ me { id } }`)).toBe("UNAUTHENTICATED"), {
        timeoutMs: bound,
      });
      expect((await live.waitClosed(bound)).code).toBe(4403);
      expect(Date.now() - deactivatedAt).toBeLessThan(bound);
    } finally {
      await live.dispose();
    }
  });

  it("stop cleanly on SIGTERM", async () => {
    // SIGTERM stops each one cleanly, as a supervisor would.
    expect(await Promise.all(children.map(stopChild))).toEqual(children.map(() => 0));
  });
});

function start(name: Service, env: Record<string, string | undefined>): ChildProcess {
  const child = spawn(process.execPath, [serviceBundle(name)], { env, stdio: ["ignore", "inherit", "inherit"] });
  child.once("exit", (code, signal) => {
    if (code !== 0 && signal === null) console.error(`${name} exited with ${code}`);
  });
  return child;
}

async function ready(port: number): Promise<void> {
  await eventually(
    async () => expect((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status).toBe(200),
    { timeoutMs: 120_000 },
  );
}

const graphqlUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
