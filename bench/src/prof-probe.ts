// TEMPORARY local probe (not committed): all-in-one bundle as a child, seed, load one query, report CPU/req.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { client, creator } from "./gateway-client.ts";

const unique = randomBytes(3).toString("hex");
const db = `prof_${unique}`;
const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
await admin.connect();
await admin.query(`CREATE DATABASE ${db}`);
const mode = process.env.PROBE_MODE ?? "services";
const env: Record<string, string | undefined> = {
  ...process.env,
  PORT: "4700",
  LOTGRAPH_SUBGRAPH_PORTS: "4711",
  LOTGRAPH_ADMIN_PASSWORD: "probe-admin-password",
  LOG_LEVEL: "warn",
};
if (mode === "services") {
  Object.assign(env, { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, NATS_URL: "nats://127.0.0.1:4222", LOTGRAPH_JWT_SECRET: randomBytes(32).toString("hex"), LOTGRAPH_BUS_NAMESPACE: `prof${unique}` });
} else {
  delete env.DATABASE_URL; delete env.NATS_URL; env.LOTGRAPH_DATA_DIR = `/tmp/probe/data-${unique}`;
}
const nodeArgs = (process.env.PROBE_NODE_ARGS ?? "").split(" ").filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, "/work/main/apps/lotgraph/dist/main.mjs", "--no-web"], { env, stdio: ["ignore", "pipe", "inherit"] });
await new Promise<void>((resolve) => child.stdout!.on("data", (c: Buffer) => { if (String(c).includes("GraphQL")) resolve(); }));
const url = "http://127.0.0.1:4700/graphql";
const gql = client(url);
const token = (await gql<{ login: { token: string } }>(null, `mutation ($i: LoginInput!) { login(input: $i) { token } }`, { i: { email: "admin@lotgraph.local", password: "probe-admin-password" } })).login.token;
const id = creator(gql, token);
const site = await id("createLocation", "location", { code: "P-SITE", name: "Site", kind: "SITE" });
const supplier = await id("createParty", "party", { code: "SUP", name: "Supplier", kind: "SUPPLIER" });
const raw = await id("createMaterial", "material", { sku: "P-RAW", name: "Raw", uom: "kg", kind: "RAW", tracking: "LOT" });
const lots: string[] = [];
for (let i = 0; i < 200; i++) lots.push(await id("receiveLot", "lot", { materialId: raw, quantity: "10", locationId: site, code: `P-${i}`, supplierId: supplier, supplierLotCode: `S-${i % 10}` }));
for (let i = 0; i < 40; i++) await gql(token, `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, { input: { lotId: lots[i], reason: "probe" } });
const QUERIES: Record<string, [string, Record<string, unknown>]> = {
  lot4: [`query ($id: ID) { lot(id: $id) { code quantity status material { sku } location { code } producedBy { id } qualityStatus holds { reason active } children { id } } }`, { id: lots[5] }],
  lots50: [`{ lots(first: 50) { edges { node { code quantity status material { sku } location { code } producedBy { id } qualityStatus holds { reason active } children { id } } } } }`, {}],
  recall: [`query ($c: String) { recall(supplierLotCode: $c) { affectedLots { code quantity location { code } } onHand { code } } }`, { c: "S-3" }],
  lot1: [`query ($id: ID) { lot(id: $id) { code quantity status material { sku } location { code } } }`, { id: lots[5] }],
};
if (process.env.PROBE_STATS) {
  const dbc = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}` });
  await dbc.connect();
  const snap = async () => (await dbc.query(`SELECT schemaname||'.'||relname AS t, seq_scan + coalesce(idx_scan,0) AS scans FROM pg_stat_user_tables`)).rows as { t: string; scans: string }[];
  const xact = async () => Number((await dbc.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)).rows[0].xact_commit);
  for (const name of (process.env.PROBE_STATS).split(",")) {
    await new Promise((r) => setTimeout(r, 1500));
    const a = await snap(); const xa = await xact();
    for (let i = 0; i < 10; i++) await gql(token, QUERIES[name]![0], QUERIES[name]![1]);
    await new Promise((r) => setTimeout(r, 1500));
    const b = await snap(); const xb = await xact();
    const diff = b.map((r) => [r.t, Number(r.scans) - Number(a.find((x) => x.t === r.t)?.scans ?? 0)] as const).filter(([, d]) => d > 0);
    console.log(name, "xacts/req", (xb - xa - 2) / 10, "scans/req", JSON.stringify(diff.map(([t, d]) => [t, d / 10])));
  }
  await dbc.end();
}
const which = (process.env.PROBE_QUERIES ?? "lot4,lots50,recall,lot1").split(",");
const seconds = Number(process.env.PROBE_SECONDS ?? 8);
const conc = Number(process.env.PROBE_CONC ?? 20);
const cpu = () => { const f = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" "); return (Number(f[11]) + Number(f[12])) * 10; };
for (const name of which) {
  const [query, variables] = QUERIES[name]!;
  const r = await gql<Record<string, unknown>>(token, query, variables);
  if (name === "recall") console.log(JSON.stringify(r).slice(0, 200));
  let count = 0; const lat: number[] = [];
  const end = performance.now() + seconds * 1000; const c0 = cpu(); const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => { while (performance.now() < end) { const s = performance.now(); await gql(token, query, variables); lat.push(performance.now() - s); count++; } }));
  const wall = (performance.now() - t0) / 1000; const used = cpu() - c0; lat.sort((a, b) => a - b);
  console.log(`${name.padEnd(7)} ${(count / wall).toFixed(0)} rps  p50 ${lat[Math.floor(lat.length / 2)]!.toFixed(1)}  p99 ${lat[Math.floor(lat.length * 0.99)]!.toFixed(1)} ms  cpu ${(used / count).toFixed(2)} ms/req  load ${(await import("node:os")).loadavg()[0]!.toFixed(2)}`);
}
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
await admin.query(`DROP DATABASE ${db} WITH (FORCE)`);
await admin.end();
