import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";
import { scrape, type Scrape } from "../support/prometheus.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

const SUBGRAPHS = ["identity", "inventory", "production", "quality", "traceability"];
const DASHBOARD = new URL("../../infra/grafana/lotgraph-dashboard.json", import.meta.url);

/**
 * Metrics (issue 22, docs/operations.md): a scripted shift through the gateway moves the
 * operation counters by exactly the operations sent, one refused one under its error code; the
 * outbox drains to 0; every gauge the dashboard reads is in a real scrape; the public port has
 * no /metrics. (Without LOTGRAPH_METRICS_PORT there is no metrics server at all: foundation.test.ts
 * checks that on its stack, as one stack per file keeps this suite's cost down.)
 */
describe(`Prometheus metrics (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let before: Scrape;
  let after: Scrape;
  /** Operations the shift sent, by operation name and outcome. */
  const sent = new Map<string, number>();

  const named = async <T>(name: string, document: string, input: unknown, outcome = "ok") => {
    sent.set(`${name} ${outcome}`, (sent.get(`${name} ${outcome}`) ?? 0) + 1);
    const result = await admin.request<T>(document, { input });
    if (outcome === "ok") {
      expect(result.errors, `${name}: ${JSON.stringify(result.errors)}`).toBeUndefined();
      return result.data!;
    }
    expect(result.errors?.[0]?.extensions?.code, name).toBe(outcome);
    return null;
  };

  beforeAll(async () => {
    lotgraph = await startTestLotgraph({ env: { LOTGRAPH_METRICS_PORT: "0" } });
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const make = (mutation: string, input: Record<string, unknown>, field: string) =>
      create(admin, mutation, input, field);
    const store = await make("createLocation", { code: "STORE", name: "Store", kind: "SITE" }, "location");
    const mill = await make("createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    const shop = await make("createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    const flour = await make(
      "createMaterial",
      { sku: "FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    const bread = await make(
      "createMaterial",
      { sku: "BREAD", name: "Bread", uom: "kg", kind: "FINISHED", tracking: "LOT" },
      "material",
    );
    before = await scrape(lotgraph.metricsUrl!);

    // The shift: every operation named, so the counters can be read per name.
    const receive = (code: string) =>
      named<{ receiveLot: { lot: Id } }>(
        "ReceiveLot",
        `mutation ReceiveLot($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id } } }`,
        { code, materialId: flour, quantity: "100", locationId: store, supplierId: mill, supplierLotCode: `S-${code}` },
      );
    const flourA = (await receive("FLOUR-A"))!.receiveLot.lot.id;
    await receive("FLOUR-B");
    const workOrder = (await named<{ createWorkOrder: { workOrder: Id } }>(
      "CreateWorkOrder",
      `mutation CreateWorkOrder($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { workOrder { id } } }`,
      { productId: bread, plannedQuantity: "10", phases: [{ name: "Bake" }] },
    ))!.createWorkOrder.workOrder.id;
    await named(
      "ReleaseWorkOrder",
      `mutation ReleaseWorkOrder($input: ReleaseWorkOrderInput!) { releaseWorkOrder(input: $input) { workOrder { id } } }`,
      { workOrderId: workOrder },
    );
    const run = (await named<{ startRun: { run: Id } }>(
      "StartRun",
      `mutation StartRun($input: StartRunInput!) { startRun(input: $input) { run { id } } }`,
      { workOrderId: workOrder },
    ))!.startRun.run.id;
    await named(
      "ConsumeLot",
      `mutation ConsumeLot($input: ConsumeLotInput!) { consumeLot(input: $input) { consumption { id } } }`,
      { runId: run, lotId: flourA, quantity: "40" },
    );
    const loaf = (await named<{ recordOutput: { output: { lot: Id } } }>(
      "RecordOutput",
      `mutation RecordOutput($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`,
      { runId: run, code: "BREAD-1", quantity: "10", locationId: store },
    ))!.recordOutput.output.lot.id;
    const ship = (quantity: string, outcome?: string) =>
      named(
        "ShipLots",
        `mutation ShipLots($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`,
        { customerId: shop, reference: `SO-${quantity}`, lines: [{ lotId: loaf, quantity }] },
        outcome,
      );
    await ship("4");
    await ship("500", "INSUFFICIENT_QUANTITY"); // refused: more than is left
    // A query through two subgraphs (inventory's lot, production's run of it).
    await named(
      "LoafOrigin",
      `query LoafOrigin($input: ID!) { lot(id: $input) { code quantity producedBy { id } } }`,
      loaf,
    );

    // Everything written has been relayed and every consumer has caught up.
    after = await eventually(
      async () => {
        const now = await scrape(lotgraph.metricsUrl!);
        for (const service of SUBGRAPHS) expect(now.sum("lotgraph_outbox_backlog", { service }), service).toBe(0);
        for (const sample of now.matching("lotgraph_bus_consumer_pending"))
          expect(sample.value, JSON.stringify(sample.labels)).toBe(0);
        return now;
      },
      { timeoutMs: 20_000 },
    );
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  const delta = (name: string, labels: Record<string, string>) => after.sum(name, labels) - before.sum(name, labels);

  it("counts each gateway operation once, by name and outcome, and nothing else", () => {
    const moved = new Map<string, number>();
    for (const sample of after.matching("lotgraph_graphql_operations_total", { service: "gateway" })) {
      const key = `${sample.labels.operationName} ${sample.labels.outcome}`;
      const change = sample.value - before.sum("lotgraph_graphql_operations_total", sample.labels);
      if (change !== 0) moved.set(key, change);
    }
    expect(Object.fromEntries(moved)).toEqual(Object.fromEntries(sent));
    expect(sent.get("ShipLots INSUFFICIENT_QUANTITY")).toBe(1);
    const operations = [...sent.values()].reduce((a, b) => a + b, 0);
    expect(delta("lotgraph_graphql_operation_duration_seconds_count", { service: "gateway" })).toBe(operations);
    expect(
      delta("lotgraph_graphql_errors_total", {
        service: "gateway",
        operationName: "ShipLots",
        code: "INSUFFICIENT_QUANTITY",
      }),
    ).toBe(1);
    // Each operation was one POST to /graphql; a refused one is still a 200 with errors.
    expect(delta("lotgraph_http_requests_total", { service: "gateway", route: "/graphql" })).toBe(operations);
    expect(delta("lotgraph_http_request_duration_seconds_count", { service: "gateway", route: "/graphql" })).toBe(
      operations,
    );
  });

  it("counts the subgraphs' side: the refusal in inventory, fetches by subgraph", () => {
    expect(delta("lotgraph_graphql_operations_total", { service: "inventory", outcome: "INSUFFICIENT_QUANTITY" })).toBe(
      1,
    );
    expect(delta("lotgraph_graphql_operations_total", { service: "production", outcome: "ok" })).toBeGreaterThanOrEqual(
      5,
    );
    for (const subgraph of ["inventory", "production"])
      expect(delta("lotgraph_subgraph_fetch_duration_seconds_count", { subgraph }), subgraph).toBeGreaterThan(0);
    expect(delta("lotgraph_subgraph_fetch_duration_seconds_count", { subgraph: "inventory", outcome: "error" })).toBe(
      1,
    );
  });

  it("reports the outbox, pools, bus and projection lag, the live layer and the process", () => {
    for (const service of SUBGRAPHS) {
      expect(after.matching("lotgraph_outbox_oldest_unrelayed_age_seconds", { service }), service).toHaveLength(1);
      expect(after.sum("lotgraph_db_pool_connections", { service, state: "total" }), service).toBeGreaterThan(0);
    }
    const traceability = after.matching("lotgraph_projection_lag_seconds", { service: "traceability" });
    expect(traceability.length).toBeGreaterThan(0);
    for (const sample of traceability) expect(sample.value).toBe(0);
    expect(after.matching("lotgraph_bus_consumer_pending", { service: "traceability" }).length).toBeGreaterThan(0);
    expect(delta("lotgraph_bus_event_apply_delay_seconds_count", { service: "traceability" })).toBeGreaterThan(0);
    for (const name of [
      "lotgraph_live_connections",
      "lotgraph_live_subscriptions",
      "lotgraph_live_groups",
      "lotgraph_live_executions_total",
      "lotgraph_live_drops_total",
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_eventloop_lag_p99_seconds",
    ])
      expect(after.matching(name), name).not.toHaveLength(0);
    expect(after.sum("lotgraph_metrics_collect_failures_total")).toBe(0);
  });

  it("exposes every metric the Grafana dashboard reads", () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
      panels: Array<{ targets?: Array<{ expr: string }> }>;
    };
    const used = new Set(
      dashboard.panels.flatMap((panel) =>
        (panel.targets ?? []).flatMap((target) => target.expr.match(/\b(?:lotgraph|process|nodejs)_[a-z0-9_]+/g) ?? []),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    const exposed = after.names();
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it("serves no /metrics on the public port", async () => {
    const response = await fetch(new URL("/metrics", lotgraph.gatewayUrl));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("lotgraph_");
  });
});
