import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import {
  InProcessBus,
  TokenService,
  createLogger,
  loadEnv,
  type DatabaseTarget,
  type Role,
  type SqlDriver,
  type SubgraphApp,
} from "@lotgraph/kit";
import { viaGateway } from "@lotgraph/kit/testing";
import { createInventorySubgraph } from "../src/server.ts";

/** Where the suites run: in-memory PGlite always, PostgreSQL too when DATABASE_URL is set. */
export interface TestTarget {
  name: "PGlite" | "PostgreSQL";
  database(): DatabaseTarget;
}

export function testTargets(databaseUrl = process.env.DATABASE_URL): TestTarget[] {
  const targets: TestTarget[] = [{ name: "PGlite", database: () => ({ kind: "pglite", dataDir: null }) }];
  if (databaseUrl) {
    targets.push({
      name: "PostgreSQL",
      database: () => ({ kind: "postgres", url: databaseUrl, schema: `inv_test_${randomBytes(5).toString("hex")}` }),
    });
  }
  return targets;
}

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** The inventory subgraph in process, with a token per kind of caller. */
export interface TestInventory {
  app: SubgraphApp;
  sql: SqlDriver;
  tokens: Record<"viewer" | "operator" | "manager" | "admin" | "internal", string>;
  post<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  /** `post` that fails the test, printing the operation and the errors, unless there is data. */
  data<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  /** `post` that expects exactly one error and returns it. */
  error(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ message: string; code: unknown; extensions: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startInventory(target: TestTarget): Promise<TestInventory> {
  const tokenService = new TokenService("inventory-test-secret-of-at-least-32-chars");
  const database = target.database();
  const app = await createInventorySubgraph({
    env: loadEnv({}),
    logger: createLogger("silent", "inventory-test"),
    bus: new InProcessBus(),
    tokens: tokenService,
    database,
    peerUrl: (peer) => {
      throw new Error(`inventory calls no peer (asked for ${peer})`);
    },
  });
  const user = (name: string, roles: Role[]) =>
    tokenService.sign({ id: `user-${name.toLowerCase().replace(/\s+/g, "-")}`, name, kind: "user", roles }, 3600);
  const tokens = {
    viewer: await user("Vera Viewer", ["VIEWER"]),
    operator: await user("Otto Operator", ["OPERATOR"]),
    manager: await user("Mia Manager", ["MANAGER"]),
    admin: await user("Ada Admin", ["ADMIN"]),
    internal: await tokenService.internalToken("production"),
  };
  const post = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const request = new Request("http://inventory/graphql", {
      method: "POST",
      headers: await viaGateway(tokenService, token),
      body: JSON.stringify({ query, variables }),
    });
    return (await (await app.handler.fetch(request)).json()) as GraphQLResult<T>;
  };
  const describeCall = (query: string, variables: Record<string, unknown>, errors: unknown) =>
    `${query}\nvariables: ${JSON.stringify(variables)}\nerrors: ${JSON.stringify(errors, null, 2)}`;
  return {
    app,
    sql: app.sql,
    tokens,
    post,
    async data<T>(query: string, variables: Record<string, unknown> = {}, token = tokens.admin) {
      const result = await post<T>(query, variables, token);
      if (result.errors?.length || !result.data) throw new Error(describeCall(query, variables, result.errors));
      return result.data;
    },
    async error(query: string, variables: Record<string, unknown> = {}, token?: string) {
      const result = await post(query, variables, token);
      expect(result.errors?.length, describeCall(query, variables, result.errors ?? "none")).toBe(1);
      const [error] = result.errors ?? [];
      return { message: error?.message ?? "", code: error?.extensions?.code, extensions: error?.extensions ?? {} };
    },
    async close() {
      if (database.kind === "postgres") await app.sql.query(`DROP SCHEMA "${database.schema}" CASCADE`);
      await app.close();
    },
  };
}

/**
 * Everything a write can leave behind: row counts of every table inventory writes, a digest of
 * every lot's quantity, status and location, and of every serial's status. A refused mutation
 * must leave this exactly as it was.
 */
export async function footprint(sql: SqlDriver): Promise<Record<string, string>> {
  const [row] = await sql.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM lot)::text AS lots,
           (SELECT md5(coalesce(string_agg(id::text || ':' || quantity::text || ':' || status::text || ':' ||
                   coalesce(location_id::text, '-') || ':' || array_to_string(release_pending, '+'), ',' ORDER BY id), ''))
              FROM lot) AS lot_state,
           (SELECT count(*) FROM stock_movement)::text AS movements,
           (SELECT count(*) FROM serial_unit)::text AS serials,
           (SELECT md5(coalesce(string_agg(id::text || ':' || status::text || ':' || coalesce(location_id::text, '-'),
                   ',' ORDER BY id), '')) FROM serial_unit) AS serial_state,
           (SELECT md5(coalesce(string_agg(lot_id::text || ':' || hold_id || ':' || previous_status::text || ':' ||
                   coalesce(released_at::text, '-'), ',' ORDER BY lot_id, hold_id), '')) FROM lot_hold) AS holds,
           (SELECT md5(coalesce(string_agg(run_id::text || ':' || gate_id || ':' || blocking::text || ':' || passed::text,
                   ',' ORDER BY run_id, gate_id), '')) FROM run_gate) AS run_gates,
           (SELECT md5(coalesce(string_agg(run_id::text || ':' || hold_id || ':' || coalesce(ended_at::text, '-'),
                   ',' ORDER BY run_id, hold_id), '')) FROM run_hold) AS run_holds,
           (SELECT md5(coalesce(string_agg(hold_id || ':' || coalesce(released_at::text, '-'), ',' ORDER BY hold_id), ''))
              FROM supplier_hold) AS supplier_holds,
           (SELECT count(*) FROM shipment)::text AS shipments,
           (SELECT count(*) FROM shipment_line)::text AS shipment_lines,
           (SELECT count(*) FROM audit_log)::text AS audit,
           (SELECT count(*) FROM outbox)::text AS outbox,
           (SELECT count(*) FROM idempotency_key)::text AS idempotency`);
  return row ?? {};
}

/** Runs `refusal` and checks it changed nothing at all (invariant 1: "changes nothing"). */
export async function expectNothingChanged<T>(sql: SqlDriver, refusal: () => Promise<T>): Promise<T> {
  const before = await footprint(sql);
  const result = await refusal();
  expect(await footprint(sql)).toEqual(before);
  return result;
}

/**
 * Invariant 2, for every lot at once in one query: on-hand equals the sum of its movements and
 * the last movement's balance, every balance equals the running sum, nothing is negative.
 */
export async function expectLedgerConsistent(sql: SqlDriver): Promise<void> {
  const broken = await sql.query(`
    WITH sums AS (
      SELECT lot_id, sum(quantity) AS total, (array_agg(balance ORDER BY seq DESC))[1] AS last_balance
        FROM stock_movement GROUP BY lot_id
    ), running AS (
      SELECT lot_id, seq, balance, sum(quantity) OVER (PARTITION BY lot_id ORDER BY seq) AS running
        FROM stock_movement
    )
    SELECT 'on-hand differs from ledger' AS problem, l.code, l.quantity::text AS quantity,
           s.total::text AS ledger, s.last_balance::text AS balance
      FROM lot l LEFT JOIN sums s ON s.lot_id = l.id
     WHERE s.total IS NULL OR l.quantity <> s.total OR l.quantity <> s.last_balance OR l.quantity < 0
    UNION ALL
    SELECT 'balance differs from running sum', l.code, r.seq::text, r.running::text, r.balance::text
      FROM running r JOIN lot l ON l.id = r.lot_id
     WHERE r.balance <> r.running OR r.balance < 0`);
  expect(broken).toEqual([]);
}
