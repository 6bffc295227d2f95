import { SUBGRAPH_PORTS } from "@lotgraph/kit";
import { describe, expect, it } from "vitest";
import { subgraphPort } from "./subgraph-ports.ts";

describe("subgraphPort", () => {
  it("lets the system pick every port when ephemeral", () => {
    expect(subgraphPort("ephemeral", "identity")).toBe(0);
    expect(subgraphPort("ephemeral", "traceability")).toBe(0);
  });

  it("uses the default ports without a choice or with 'default'", () => {
    expect(subgraphPort(undefined, "inventory")).toBe(SUBGRAPH_PORTS.inventory);
    expect(subgraphPort("default", "quality")).toBe(SUBGRAPH_PORTS.quality);
  });

  it("counts the five ports from a first one, as an option or as LOTGRAPH_SUBGRAPH_PORTS", () => {
    expect(subgraphPort({ first: 5100 }, "identity")).toBe(5100);
    expect(subgraphPort({ first: 5100 }, "traceability")).toBe(5104);
    expect(subgraphPort("6200", "production")).toBe(6202);
  });
});
