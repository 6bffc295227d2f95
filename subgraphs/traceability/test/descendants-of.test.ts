import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  InProcessBus,
  TokenService,
  createLogger,
  loadEnv,
  type DatabaseTarget,
  type SubgraphApp,
} from "@lotgraph/kit";
import { createTraceabilitySubgraph } from "../src/server.ts";
import { events, testTargets } from "./support.ts";

const QUERY = `query ($lotIds: [ID!]!) { descendantsOf(lotIds: $lotIds) }`;

interface Result {
  data?: { descendantsOf: string[] } | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** The internal query quality propagates holds with, through the subgraph's GraphQL boundary. */
describe.each(testTargets())("traceability descendantsOf ($name)", ({ target }) => {
  const tokens = new TokenService("traceability-test-secret-of-at-least-32-chars");
  const bus = new InProcessBus();
  let app: SubgraphApp;
  const database: DatabaseTarget = target();
  let internal: string;
  // raw → (run1) → mid → (run2) → fin1, fin2;  other → (run3) → side
  const [raw, mid, fin1, fin2, other, side] = [
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
  ];
  const [run1, run2, run3] = [randomUUID(), randomUUID(), randomUUID()];

  const ask = async (lotIds: unknown, token: string | null = internal): Promise<Result> => {
    const request = new Request("http://traceability/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: QUERY, variables: { lotIds } }),
    });
    return (await (await app.handler.fetch(request)).json()) as Result;
  };
  const sorted = (ids: string[]) => [...ids].sort();

  beforeAll(async () => {
    app = await createTraceabilitySubgraph({
      env: loadEnv({}),
      logger: createLogger("silent", "traceability-test"),
      bus,
      tokens,
      database,
      peerUrl: (peer) => {
        throw new Error(`descendantsOf calls no peer (asked for ${peer})`);
      },
    });
    internal = await tokens.internalToken("quality");
    const history = [
      events.received(raw, "RAW", "SL-1"),
      events.consumed(run1, raw, "10"),
      events.output(run1, mid),
      events.consumed(run2, mid, "5"),
      events.output(run2, fin1),
      events.output(run2, fin2),
      events.received(other, "OTHER", null),
      events.consumed(run3, other, "1"),
      events.output(run3, side),
    ];
    for (const message of history) await bus.publish(message);
    await vi.waitFor(async () => expect((await ask([other])).data?.descendantsOf).toEqual([side]), {
      timeout: 20_000,
      interval: 50,
    });
    await vi.waitFor(async () => expect((await ask([raw])).data?.descendantsOf).toHaveLength(3), {
      timeout: 20_000,
      interval: 50,
    });
  });
  afterAll(async () => {
    if (app && database.kind === "postgres") await app.sql.query(`DROP SCHEMA "${database.schema}" CASCADE`);
    await app?.close();
  });

  it("lists every descendant at any depth, the starts left out", async () => {
    expect(sorted((await ask([raw])).data?.descendantsOf ?? [])).toEqual(sorted([mid, fin1, fin2]));
    // mid descends from raw, but as a start it is not repeated.
    expect(sorted((await ask([raw, mid, other])).data?.descendantsOf ?? [])).toEqual(sorted([fin1, fin2, side]));
    expect((await ask([fin1])).data?.descendantsOf).toEqual([]);
    expect((await ask([randomUUID()])).data?.descendantsOf).toEqual([]);
    expect((await ask([])).data?.descendantsOf).toEqual([]);
  });

  it("refuses ids that are not lot ids, people and anonymous callers", async () => {
    const invalid = await ask([raw, "LOT-1"]);
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "lotIds.1" });
    const person = await tokens.sign({ id: "u-1", name: "Ada Admin", kind: "user", roles: ["ADMIN"] }, 600);
    expect((await ask([raw], person)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await ask([raw], null)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
