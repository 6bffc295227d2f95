import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { LiveTestClient } from "../support/live-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";
import { waitFor } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const PER_PRINCIPAL = 30;
const PER_ADDRESS = 12;

/** A raw POST to the gateway, to read the status and Retry-After a client library would hide. */
async function post(url: string, query: string, token?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), error: body.errors?.[0] };
}

/** Issue 19: each caller gets so many requests a minute at the gateway, and is told when to come back. */
describe(`rate limits per caller (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let adminToken: string;

  beforeAll(async () => {
    lotgraph = await startTestLotgraph({
      env: {
        LOTGRAPH_RATE_LIMIT_PER_MINUTE: String(PER_PRINCIPAL),
        LOTGRAPH_RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(PER_ADDRESS),
      },
    });
    adminToken = await new TestClient(lotgraph.gatewayUrl).login(lotgraph.admin.email, lotgraph.admin.password!);
  });
  afterAll(async () => lotgraph?.cleanup());

  it("answers a caller over its limit 429 with Retry-After and RATE_LIMITED, and nobody else", async () => {
    const admin = new TestClient(lotgraph.gatewayUrl, adminToken);
    const email = "busy@plant.test";
    await create(
      admin,
      "createUser",
      { email, name: "Busy", roles: ["VIEWER"], password: "busy-person-password" },
      "user",
    );
    const busy = await new TestClient(lotgraph.gatewayUrl).login(email, "busy-person-password");
    for (let i = 0; i < PER_PRINCIPAL; i++) {
      expect((await post(lotgraph.gatewayUrl, `{ me { id } }`, busy)).status, `request ${i + 1}`).toBe(200);
    }
    const refused = await post(lotgraph.gatewayUrl, `{ me { id } }`, busy);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.error?.extensions).toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: Number(refused.retryAfter),
    });
    // Mutations count the same, and change nothing once refused.
    const mutation = await post(
      lotgraph.gatewayUrl,
      `mutation { createLocation(input: {code: "RL-1", name: "Refused", kind: SITE}) { location { id } } }`,
      busy,
    );
    expect(mutation.status).toBe(429);
    // A download through the gateway counts the same.
    const download = await fetch(new URL("/exports/audit.csv", lotgraph.gatewayUrl), {
      headers: { authorization: `Bearer ${busy}` },
    });
    expect(download.status).toBe(429);
    expect(Number(download.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another principal, on the same address, is not held back by it.
    expect((await post(lotgraph.gatewayUrl, `{ me { id } }`, adminToken)).status).toBe(200);

    // A live subscription counts too: the busy caller's socket is refused one.
    const live = LiveTestClient.withToken(lotgraph.gatewayUrl, busy);
    try {
      const subscription = live.subscribe(`subscription { lotChanged { id } }`);
      await waitFor("the subscription to be refused", () => subscription.error !== null);
      expect(subscription.error?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    } finally {
      await live.dispose();
    }
  });

  it("limits requests without a token per address", async () => {
    const answers = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) answers.push(await post(lotgraph.gatewayUrl, `{ __typename }`));
    // Sign-in came from this address too (beforeAll, the busy person): at most PER_ADDRESS answered.
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(PER_ADDRESS);
    expect(statuses.at(-1)).toBe(429);
    expect(answers.at(-1)?.error?.extensions?.code).toBe("RATE_LIMITED");
    // A signed-in caller on the same address is counted on its own.
    expect((await post(lotgraph.gatewayUrl, `{ me { id } }`, adminToken)).status).toBe(200);
  });
});
