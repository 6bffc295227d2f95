import { createSchema, createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { LotgraphMetrics } from "./metrics.ts";
import { MAX_OPERATION_NAMES, codeOf, operationNameLabels, useOperationMetrics } from "./operation-metrics.ts";

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query {
      lot: String
      held: String
      broken: String
    }
  `,
  resolvers: {
    Query: {
      lot: () => "LOT-1",
      held: () => {
        throw new DomainError("LOT_UNAVAILABLE", "the lot is on hold");
      },
      broken: () => {
        throw new Error("a bug");
      },
    },
  },
});

function served(metrics: LotgraphMetrics, service: string) {
  const yoga = createYoga({ schema, plugins: useOperationMetrics(metrics, service), logging: false });
  return (query: string) =>
    yoga.fetch("http://test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
}

async function sample(metrics: LotgraphMetrics, name: string, labels: string): Promise<number | undefined> {
  const { body } = await metrics.scrape();
  const line = body.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

describe("useOperationMetrics", () => {
  it("counts operations by service, name, type and outcome, the error code for a refusal", async () => {
    const metrics = new LotgraphMetrics();
    const inventory = served(metrics, "inventory");
    const gateway = served(metrics, "gateway");
    await inventory("query Lot { lot }");
    await inventory("query Lot { lot }");
    await inventory("query Held { held }");
    await inventory("query Broken { broken }");
    await gateway("query Lot { lot }");
    await inventory("{ lot }");

    const ops = "lotgraph_graphql_operations_total";
    expect(
      await sample(metrics, ops, 'service="inventory",operationName="Lot",operationType="query",outcome="ok"'),
    ).toBe(2);
    expect(
      await sample(
        metrics,
        ops,
        'service="inventory",operationName="Held",operationType="query",outcome="LOT_UNAVAILABLE"',
      ),
    ).toBe(1);
    expect(
      await sample(
        metrics,
        ops,
        'service="inventory",operationName="Broken",operationType="query",outcome="INTERNAL_SERVER_ERROR"',
      ),
    ).toBe(1);
    expect(await sample(metrics, ops, 'service="gateway",operationName="Lot",operationType="query",outcome="ok"')).toBe(
      1,
    );
    expect(await sample(metrics, ops, 'service="inventory",operationName="Anonymous"')).toBe(1);
    expect(
      await sample(
        metrics,
        "lotgraph_graphql_operation_duration_seconds_count",
        'service="inventory",operationName="Lot"',
      ),
    ).toBe(2);
    expect(
      await sample(
        metrics,
        "lotgraph_graphql_errors_total",
        'service="inventory",operationName="Held",phase="execute",code="LOT_UNAVAILABLE"',
      ),
    ).toBe(1);
  });

  it("counts parse and validation failures as errors, not as operations", async () => {
    const metrics = new LotgraphMetrics();
    const inventory = served(metrics, "inventory");
    await inventory("query Lot { lot");
    await inventory("query Nope { nope }");
    expect(await sample(metrics, "lotgraph_graphql_errors_total", 'phase="parse",code="GRAPHQL_PARSE_FAILED"')).toBe(1);
    expect(
      await sample(
        metrics,
        "lotgraph_graphql_errors_total",
        'operationName="Nope",phase="validate",code="GRAPHQL_VALIDATION_FAILED"',
      ),
    ).toBe(1);
    expect(await sample(metrics, "lotgraph_graphql_operations_total", 'service="inventory"')).toBeUndefined();
  });
});

describe("operation names as labels", () => {
  it("keeps the names first seen, up to the bound, and counts the rest as other", async () => {
    const metrics = new LotgraphMetrics();
    const gateway = served(metrics, "gateway");
    await gateway("query Lot { lot }");
    // Anyone may send a new name with every request: the series stop growing at the bound.
    for (let n = 0; n < MAX_OPERATION_NAMES + 40; n++) await gateway(`query Junk${n} { lot }`);
    await gateway("query Lot { lot }");

    const { body } = await metrics.scrape();
    const series = body.split("\n").filter((l) => l.startsWith('lotgraph_graphql_operations_total{service="gateway"'));
    expect(series).toHaveLength(MAX_OPERATION_NAMES + 1);
    expect(await sample(metrics, "lotgraph_graphql_operations_total", 'operationName="other"')).toBe(41);
    expect(await sample(metrics, "lotgraph_graphql_operations_total", 'operationName="Lot"')).toBe(2);
  });

  it("labels only names GraphQL allows, of a bounded length", () => {
    const label = operationNameLabels(2);
    expect(label(undefined)).toBe("Anonymous");
    expect(label("A".repeat(101))).toBe("other");
    expect(label("Lot")).toBe("Lot");
    expect(label("Held")).toBe("Held");
    expect(label("Third")).toBe("other");
    expect(label("Lot")).toBe("Lot");
  });
});

describe("codeOf", () => {
  it("takes extensions.code or a domain error's code, and bounds what it accepts", () => {
    expect(codeOf({ extensions: { code: "FORBIDDEN" } })).toBe("FORBIDDEN");
    expect(codeOf({ extensions: {}, originalError: new DomainError("CONFLICT", "x") })).toBe("CONFLICT");
    expect(codeOf({ extensions: { code: "a label someone made up" } })).toBe("INTERNAL_SERVER_ERROR");
    expect(codeOf(undefined, "GRAPHQL_PARSE_FAILED")).toBe("GRAPHQL_PARSE_FAILED");
  });
});
