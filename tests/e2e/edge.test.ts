import { TokenService, type SubgraphName } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type GraphQLResponse } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const SUBGRAPHS: SubgraphName[] = ["identity", "inventory", "production", "quality", "traceability"];

/**
 * Issue 14, the edge: subgraph ports answer only the gateway and Lotgraph services (`_entities`
 * and `_service` included); an operation's cost counts list sizes from variables and defaults;
 * every error the gateway answers carries a code.
 */
describe(`the edge: no back door, limits that count, coded errors (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let adminToken: string;

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    adminToken = await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!);
    admin = anonymous.as(adminToken);
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  const direct = async (url: string, query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({
        query,
        variables: { r: [{ __typename: "Lot", id: "00000000-0000-4000-8000-000000000000" }] },
      }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse<unknown> };
  };

  it("answers nobody but the gateway and Lotgraph services on a subgraph's port", async () => {
    const user = { authorization: `Bearer ${adminToken}` };
    for (const name of SUBGRAPHS) {
      const url = lotgraph.subgraphUrls[name];
      for (const query of [
        `{ _service { sdl } }`,
        `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
      ]) {
        for (const headers of [{}, user]) {
          const refused = await direct(url, query, headers);
          expect(refused.status, `${name} ${query}`).toBe(401);
          expect(refused.body.data, `${name}`).toBeUndefined();
          expect(refused.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
        }
      }
    }
    // A Lotgraph service's own token is answered (internal calls between services).
    const tokens = new TokenService(lotgraph.env.LOTGRAPH_JWT_SECRET ?? (await jwtSecretOf(lotgraph)));
    const service = { authorization: `Bearer ${await tokens.internalToken("quality")}` };
    const answered = await direct(lotgraph.subgraphUrls.inventory, `{ _service { sdl } }`, service);
    expect(answered.status).toBe(200);
    expect(JSON.stringify(answered.body.data)).toContain("type Lot");
    // Exports too: only through the gateway.
    const exportUrl = new URL("/exports/audit.csv", lotgraph.subgraphUrls.traceability);
    expect((await fetch(exportUrl, { headers: user })).status).toBe(401);
    const viaGateway = new URL("/exports/audit.csv", lotgraph.gatewayUrl);
    expect((await fetch(viaGateway, { headers: user })).status).toBe(200);
  });

  it("counts list sizes from variables and defaults in an operation's cost", async () => {
    const nested = `query ($n: Int, $m: Int) {
      lots(first: $n) { edges { node { id movements(first: $m) { edges { node { id kind } } } } } }
    }`;
    const refused = await admin.request(nested, { n: 500, m: 500 });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", maxCost: 20_000 });
    expect(refused.data ?? null).toBeNull();
    // The same shape with sizes a screen asks for is fine, from variables or defaults.
    expect((await admin.request(nested, { n: 50, m: 20 })).errors).toBeUndefined();
    expect((await admin.request(`{ lots { edges { node { id movements { totalCount } } } } }`)).errors).toBeUndefined();
    const literal = await admin.request(
      `{ lots(first: 500) { edges { node { movements(first: 500) { edges { node { id } } } } } } }`,
    );
    expect(literal.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("locks an account's sign-in after five failures: HTTP 429 with Retry-After, even for the right password", async () => {
    await admin.expectData(`mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`, {
      input: { email: "guessed@edge.test", name: "Gus Guessed", roles: ["VIEWER"], password: "gus-password-2026" },
    });
    const login = (password: string) =>
      fetch(lotgraph.gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `mutation ($input: LoginInput!) { login(input: $input) { token } }`,
          variables: { input: { email: "guessed@edge.test", password } },
        }),
      });
    for (let n = 0; n < 5; n++) {
      const wrong = await login(`wrong-guess-${n}`);
      expect(((await wrong.json()) as GraphQLResponse<unknown>).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    const locked = await login("gus-password-2026");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
    expect(((await locked.json()) as GraphQLResponse<unknown>).errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });

  it("keeps each caller's idempotency keys its own, and answers CONFLICT to all but one of five concurrent releases", async () => {
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    const crew = await hireCrew(anonymous, admin, "keys");
    const erp = crew.operator;
    const intruder = crew.manager;
    const site = await create(admin, "createLocation", { code: "KEYS-SITE", name: "Site", kind: "SITE" }, "location");
    const flour = await create(
      admin,
      "createMaterial",
      { sku: "KEYS-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    const RECEIVE = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id code } } }`;
    const receipt = (code: string) => ({
      input: { materialId: flour, quantity: "10", locationId: site, code, idempotencyKey: "erp-po-1001-line-1" },
    });
    // Someone else takes the ERP's predictable key first: it is theirs, not the ERP's.
    const taken = await intruder.expectData<{ receiveLot: { lot: { id: string; code: string } } }>(
      RECEIVE,
      receipt("KEYS-INTRUDER"),
    );
    const own = await erp.expectData<{ receiveLot: { lot: { id: string; code: string } } }>(
      RECEIVE,
      receipt("KEYS-ERP"),
    );
    expect(own.receiveLot.lot.code).toBe("KEYS-ERP");
    expect(own.receiveLot.lot.id).not.toBe(taken.receiveLot.lot.id);
    // The ERP's retry still gets its own stored answer; its key reused for another receipt is CONFLICT.
    const retried = await erp.expectData<{ receiveLot: { lot: { id: string } } }>(RECEIVE, receipt("KEYS-ERP"));
    expect(retried.receiveLot.lot.id).toBe(own.receiveLot.lot.id);
    expect(await erp.expectErrorCode(RECEIVE, receipt("KEYS-OTHER"))).toBe("CONFLICT");

    // Five managers' tablets release one hold at the same moment: one release, four CONFLICTs.
    const PLACE = `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`;
    const placed = await crew.manager.expectData<{ placeHold: { holds: Array<{ id: string }> } }>(PLACE, {
      input: { lotId: own.receiveLot.lot.id, reason: "smell check" },
    });
    const RELEASE = `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id active } } }`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        crew.manager.request(RELEASE, {
          input: {
            holdId: placed.placeHold.holds[0]!.id,
            reason: "smell fine",
            signature: { password: "manager-password-keys", meaning: "released" },
          },
        }),
      ),
    );
    const codes = answers.map((a) => a.errors?.[0]?.extensions?.code ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "CONFLICT", "CONFLICT", "CONFLICT", "OK"]);
  });

  it("gives every error a code: limits, syntax, variables, tokens", async () => {
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    const deep = `{ lots { edges { node { location { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } } } }`;
    expect((await admin.request(deep)).errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect((await admin.request(`{ lots { `)).errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    const wrongType = await admin.request(`query ($n: Int) { lots(first: $n) { totalCount } }`, { n: "many" });
    expect(wrongType.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const forged = await fetch(lotgraph.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer not.a.token" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as GraphQLResponse<unknown>).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await anonymous.request(`{ lots { totalCount } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

/** Embedded mode keeps its generated secret in the data directory. */
async function jwtSecretOf(lotgraph: Lotgraph): Promise<string> {
  const { resolveJwtSecret } = await import("@lotgraph/kit");
  return resolveJwtSecret(lotgraph.env);
}
