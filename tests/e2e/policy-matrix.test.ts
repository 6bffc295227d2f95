import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { POLICY, ROLES, grants, type Access, type Role } from "@lotgraph/kit";
import { buildSchema, isNonNullType, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type GraphQLResponse } from "../support/graphql-client.ts";
import { operationFor, sampleValue } from "../support/hostile-requests.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Caller = Role | "no token";

const API = buildSchema(readFileSync(fileURLToPath(new URL("../../schema/api.graphql", import.meta.url)), "utf8"));
const ROOTS = [API.getQueryType()!, API.getMutationType()!] as const;
/** Every argument a valid-looking value; ids and texts a uuid nothing has. */
const NOTHING = "00000000-0000-4000-8000-000000000000";

/** Whether the answer is a refusal for who is calling, as opposed to any other outcome. */
function refusedForCaller(answer: GraphQLResponse<unknown>): boolean {
  const error = answer.errors?.[0];
  const code = error?.extensions?.code;
  // UNAUTHENTICATED also answers wrong credentials (login), which is not about the caller.
  return code === "FORBIDDEN" || (code === "UNAUTHENTICATED" && error!.message.startsWith("sign in first"));
}

function admits(access: Access, caller: Caller): boolean {
  if (access === "anyone") return true;
  if (access === "internal" || caller === "no token") return false;
  return grants([caller], access);
}

/**
 * Issue 19, one declared policy: every query and mutation of the API, as every role and without
 * a token, against the table of subgraphs/kit/src/auth/policy.ts (docs/decisions/0020). A field
 * without an entry fails here (and its subgraph does not start); so does a field that lets in
 * someone the table does not, or refuses someone it admits.
 */
describe(`the access policy, operation by operation (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  const callers = new Map<Caller, TestClient>();

  beforeAll(async () => {
    lotgraph = await startTestLotgraph({
      env: { LOTGRAPH_RATE_LIMIT_PER_MINUTE: "0", LOTGRAPH_RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0" },
    });
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    callers.set("no token", anonymous);
    callers.set("ADMIN", admin);
    for (const role of ROLES.filter((r) => r !== "ADMIN")) {
      const email = `${role.toLowerCase()}@policy.test`;
      const password = `${role.toLowerCase()}-policy-matrix`;
      await create(admin, "createUser", { email, name: `Policy ${role}`, roles: [role], password }, "user");
      callers.set(role, anonymous.as(await anonymous.login(email, password)));
    }
  }, 120_000);
  afterAll(async () => lotgraph?.cleanup());

  it("has an entry for every query and mutation of the API, and none for a field that is gone", () => {
    const fields = ROOTS.flatMap((root) => Object.keys(root.getFields()).map((name) => `${root.name}.${name}`));
    expect(fields.filter((field) => !POLICY[field])).toEqual([]);
    const internal = Object.entries(POLICY)
      .filter(([, access]) => access === "internal")
      .map(([field]) => field);
    const gone = Object.keys(POLICY).filter((field) => !fields.includes(field) && !internal.includes(field));
    expect(gone).toEqual([]);
  });

  it("admits exactly whom the table admits, to every operation", async () => {
    const mismatches: string[] = [];
    for (const root of ROOTS) {
      const kind = root === API.getMutationType() ? "mutation" : "query";
      for (const field of Object.values((root as GraphQLObjectType).getFields())) {
        const key = `${root.name}.${field.name}`;
        const variables = Object.fromEntries(
          field.args.filter((arg) => isNonNullType(arg.type)).map((arg) => [arg.name, sampleValue(arg.type, NOTHING)]),
        );
        for (const [caller, client] of callers) {
          const answer = await client.request(operationFor(kind, field), variables);
          const admitted = !refusedForCaller(answer);
          const expected = admits(POLICY[key]!, caller);
          if (admitted !== expected)
            mismatches.push(
              `${key} as ${caller}: ${admitted ? "admitted" : "refused"}, the table says ${expected ? "admit" : "refuse"} (${JSON.stringify(answer.errors?.[0] ?? "data")})`,
            );
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 180_000);
});
