import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { LiveTestClient } from "../support/live-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { waitFor } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const MANIFEST = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../schema/trusted-documents.json", import.meta.url)), "utf8"),
) as Record<string, string>;
const [LOT_BY_CODE_ID, LOT_BY_CODE] = Object.entries(MANIFEST).find(([, text]) =>
  text.startsWith("query ErpLotByCode"),
)!;

async function post(url: string, token: string, body: Record<string, unknown>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
  return { status: response.status, ...answer };
}

/** Issue 19: registered operations (schema/trusted-documents.json), and accounts limited to them. */
describe(`trusted documents (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let limited: string;

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const created = await admin.expectData<{
      createServiceAccount: { token: string; serviceAccount: { trustedDocumentsOnly: boolean } };
    }>(
      `mutation ($input: CreateServiceAccountInput!) {
        createServiceAccount(input: $input) { token serviceAccount { trustedDocumentsOnly } }
      }`,
      { input: { name: "ERP, registered operations only", roles: ["OPERATOR"], trustedDocumentsOnly: true } },
    );
    expect(created.createServiceAccount.serviceAccount.trustedDocumentsOnly).toBe(true);
    limited = created.createServiceAccount.token;
  });
  afterAll(async () => lotgraph?.cleanup());

  it("runs a registered operation by its documentId, for anyone allowed to run it", async () => {
    const byId = await post(lotgraph.gatewayUrl, admin.token!, {
      documentId: LOT_BY_CODE_ID,
      variables: { code: "NONE" },
    });
    expect(byId).toMatchObject({ status: 200, data: { lot: null } });
    const unknown = await post(lotgraph.gatewayUrl, admin.token!, { documentId: `sha256:${"0".repeat(64)}` });
    expect(unknown.status).toBe(404);
    expect(unknown.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("lets an account limited to registered operations run those and nothing else", async () => {
    expect(
      await post(lotgraph.gatewayUrl, limited, { documentId: LOT_BY_CODE_ID, variables: { code: "NONE" } }),
    ).toMatchObject({
      status: 200,
      data: { lot: null },
    });
    // The same operation as text, laid out otherwise and with the __typename a client cache adds.
    const asText = LOT_BY_CODE.replace("lot(code: $code) {", "lot(code: $code) {\n  __typename\n");
    expect(await post(lotgraph.gatewayUrl, limited, { query: asText, variables: { code: "NONE" } })).toMatchObject({
      status: 200,
      data: { lot: null },
    });
    for (const query of [`{ me { id } }`, LOT_BY_CODE.replace("sku", "sku name")]) {
      const refused = await post(lotgraph.gatewayUrl, limited, { query, variables: { code: "NONE" } });
      expect(refused.status, query).toBe(403);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "TRUSTED_DOCUMENTS_ONLY" });
    }
    // Over a socket too.
    const live = LiveTestClient.withToken(lotgraph.gatewayUrl, limited);
    try {
      const subscription = live.subscribe(`subscription { lotChanged { id code } }`);
      await waitFor("the subscription to be refused", () => subscription.error !== null);
      expect(subscription.error?.[0]?.extensions?.code).toBe("FORBIDDEN");
    } finally {
      await live.dispose();
    }
  });

  it("leaves people and other accounts free to send their own operations", async () => {
    expect(await post(lotgraph.gatewayUrl, admin.token!, { query: `{ me { id } }` })).toMatchObject({ status: 200 });
  });
});
