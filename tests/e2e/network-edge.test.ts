import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const ERP_ORIGIN = "https://erp.example.com";
const INTROSPECTION = `{ __schema { queryType { name } } }`;

/**
 * Issue 19, the edge for a network Lotgraph does not own, as installed for production
 * (NODE_ENV=production): CORS only for listed origins and the host's own pages, no request a
 * foreign page could forge without a preflight, introspection and the IDE for administrators only,
 * and a request id on every error.
 */
describe(`the gateway on a network it does not own (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let adminToken: string;
  let viewerToken: string;

  beforeAll(async () => {
    lotgraph = await startTestLotgraph({ env: { NODE_ENV: "production", LOTGRAPH_CORS_ORIGINS: ERP_ORIGIN } });
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    adminToken = await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!);
    const admin = anonymous.as(adminToken);
    await create(
      admin,
      "createUser",
      { email: "viewer@edge.test", name: "Viewer", roles: ["VIEWER"], password: "viewer-edge-password" },
      "user",
    );
    viewerToken = await anonymous.login("viewer@edge.test", "viewer-edge-password");
  });
  afterAll(async () => lotgraph?.cleanup());

  const preflight = (origin: string) =>
    fetch(lotgraph.gatewayUrl, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });

  it("grants CORS to listed origins and the host's own pages, never to a foreign one, and never credentials", async () => {
    // The web app: a page of the host name the gateway was reached at, on another port.
    const host = new URL(lotgraph.gatewayUrl).hostname;
    for (const origin of [ERP_ORIGIN, `http://${host}:3000`, `https://${host}`]) {
      const response = await preflight(origin);
      expect(response.headers.get("access-control-allow-origin"), origin).toBe(origin);
      expect(response.headers.get("access-control-allow-credentials"), origin).not.toBe("true");
    }
    for (const origin of ["https://evil.example", "http://127.0.0.1.evil.example", "null"]) {
      const response = await preflight(origin);
      expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
      const post = await fetch(lotgraph.gatewayUrl, {
        method: "POST",
        headers: { origin, "content-type": "application/json", authorization: `Bearer ${viewerToken}` },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      expect(post.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });

  it("refuses what a foreign page could send without a preflight: a form's body, a plain GET", async () => {
    const mutation = `mutation { createLocation(input: {code: "CSRF", name: "Forged", kind: SITE}) { location { id } } }`;
    for (const [contentType, body] of [
      ["application/x-www-form-urlencoded", `query=${encodeURIComponent(mutation)}`],
      ["text/plain", JSON.stringify({ query: mutation })],
      [
        "multipart/form-data; boundary=x",
        `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${mutation}\r\n--x--`,
      ],
    ]) {
      const response = await fetch(lotgraph.gatewayUrl, {
        method: "POST",
        headers: { "content-type": contentType!, origin: "https://evil.example" },
        body,
      });
      expect(response.status, contentType).toBe(403);
      const answer = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(answer.errors?.[0]?.extensions?.code, contentType).toBe("FORBIDDEN");
    }
    const get = await fetch(`${lotgraph.gatewayUrl}?query=${encodeURIComponent("{ __typename }")}`);
    expect(get.status).toBe(403);
    const admin = new TestClient(lotgraph.gatewayUrl, adminToken);
    const locations = await admin.expectData<{ locations: Array<{ code: string }> }>(`{ locations { code } }`);
    expect(locations.locations.map((l) => l.code)).not.toContain("CSRF");
    // A script's GET with a token is preflighted by its browser: answered.
    const scripted = await fetch(`${lotgraph.gatewayUrl}?query=${encodeURIComponent("{ me { name } }")}`, {
      headers: { authorization: `Bearer ${viewerToken}` },
    });
    expect(scripted.status).toBe(200);
  });

  it("lets only administrators introspect in production, and serves no IDE", async () => {
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    expect(await anonymous.expectErrorCode(INTROSPECTION)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await anonymous.as(viewerToken).expectErrorCode(INTROSPECTION)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await anonymous.as(adminToken).expectData(INTROSPECTION)).toEqual({
      __schema: { queryType: { name: "Query" } },
    });
    const page = await fetch(lotgraph.gatewayUrl, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  it("names the request's id on every error, the caller's own id when it sent one", async () => {
    const response = await fetch(lotgraph.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-request-id": "ticket-4711",
        authorization: `Bearer ${viewerToken}`,
      },
      body: JSON.stringify({ query: `{ lot(id: "00000000-0000-4000-8000-000000000000") { id } nope }` }),
    });
    const answer = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(answer.errors.length).toBeGreaterThan(0);
    for (const error of answer.errors) expect(error.extensions.requestId).toBe("ticket-4711");
    const forbidden = await new TestClient(lotgraph.gatewayUrl, viewerToken).request(
      `mutation { createLocation(input: {code: "V", name: "V", kind: SITE}) { location { id } } }`,
    );
    expect(forbidden.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", requestId: expect.any(String) });
  });
});
