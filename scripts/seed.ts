/**
 * `npm run seed`: loads a small demo bakery plant (a site with areas and bins, two suppliers, two
 * customers, raw materials, packaging, products, received lots) through the public GraphQL API,
 * exactly as an ERP integration would. Safe to run twice: every mutation carries an
 * idempotencyKey. Talks to the running gateway (GATEWAY_URL; else, in embedded mode, the one
 * running on LOTGRAPH_DATA_DIR; else http://localhost:$PORT/graphql, PORT 4000 by default) or, when
 * none answers, starts Lotgraph in this process for the duration of the seed.
 */
import { join } from "node:path";
import { EnvError, TokenService, loadEnv, resolveJwtSecret, type LotgraphEnv } from "@lotgraph/kit";
import { startLotgraph } from "@lotgraph/lotgraph";
import { runningProcessOf } from "@lotgraph/lotgraph/backup";

/** A failure the person running the seed can act on: printed as is, without a stack. */
class SeedError extends Error {}

/** Where the signing secret came from, in words a person can check against the gateway's. */
function secretSource(env: LotgraphEnv): string {
  return env.LOTGRAPH_JWT_SECRET
    ? "LOTGRAPH_JWT_SECRET from the environment"
    : `the embedded installation's own secret (${join(env.LOTGRAPH_DATA_DIR, "jwt-secret")}), as LOTGRAPH_JWT_SECRET is not set`;
}

async function main(): Promise<void> {
  const env = loadEnv();
  // The seed acts as a service with the ADMIN role, signed with this installation's own secret;
  // every entry it writes is audited under "Demo seed".
  const token = await new TokenService(await resolveJwtSecret(env)).sign(
    { id: "service:seed", name: "Demo seed", kind: "service-account", roles: ["ADMIN"] },
    600,
  );
  const { gatewayUrl, onThisDataDir } = await gatewayToSeed(env);
  const running = await fetch(gatewayUrl.replace(/\/graphql$/, "/healthz")).then(
    (r) => r.ok,
    () => false,
  );
  // Never a second engine on a directory a process holds open: it would corrupt it.
  if (!running && onThisDataDir)
    throw new SeedError(`Lotgraph runs on ${env.LOTGRAPH_DATA_DIR} but its gateway does not answer at ${gatewayUrl}.`);
  const local = running ? null : await startLotgraph({ quiet: true });
  const url = local?.gatewayUrl ?? gatewayUrl;
  const signedWith = secretSource(env);
  console.log(
    running
      ? `Seeding the gateway already running at ${url}, signed with ${signedWith}.`
      : `No gateway answers at ${gatewayUrl}: seeding a Lotgraph started here (${env.mode} mode), signed with ${signedWith}.`,
  );
  try {
    const counts = await seed(url, token, signedWith);
    console.log(
      `Seeded the demo plant at ${url}: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}.`,
    );
    // Started here on a fresh data directory: say where the generated first password is kept
    // (an owner-only file, as `npm start` says), never the password itself: consoles end in logs.
    if (local?.admin.passwordFile) {
      console.log(`First admin: ${local.admin.email}  password in ${local.admin.passwordFile}`);
    }
  } finally {
    await local?.stop();
  }
}

/** The gateway to seed: GATEWAY_URL, else the process running on the data directory, else PORT's. */
async function gatewayToSeed(env: LotgraphEnv): Promise<{ gatewayUrl: string; onThisDataDir: boolean }> {
  if (process.env.GATEWAY_URL) return { gatewayUrl: process.env.GATEWAY_URL, onThisDataDir: false };
  const running = env.mode === "embedded" ? await runningProcessOf(env.LOTGRAPH_DATA_DIR) : null;
  if (running) return { gatewayUrl: `${running.gatewayUrl}/graphql`, onThisDataDir: true };
  return { gatewayUrl: `http://localhost:${env.PORT ?? 4000}/graphql`, onThisDataDir: false };
}

async function seed(url: string, token: string, signedWith: string) {
  const call = async <T>(query: string, input: Record<string, unknown>, key: string): Promise<T> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { input: { ...input, idempotencyKey: `demo-seed:${key}` } } }),
    });
    const body = (await response.json().catch(() => ({}))) as {
      data?: T;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
    if (body.errors?.some((e) => e.extensions?.code === "UNAUTHENTICATED")) {
      throw new SeedError(
        `The gateway at ${url} refused the seed's token (UNAUTHENTICATED): it was signed with ${signedWith}, ` +
          "which is not the secret that gateway verifies with. Export the gateway's LOTGRAPH_JWT_SECRET " +
          "(and GATEWAY_URL if it is elsewhere) and run the seed again.",
      );
    }
    if (!body.data || body.errors?.length)
      throw new SeedError(`Seeding ${key} failed (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body)}`);
    return body.data;
  };

  const location = async (code: string, name: string, kind: string, parentId?: string) =>
    (
      await call<{ createLocation: { location: { id: string } } }>(
        `mutation ($input: CreateLocationInput!) { createLocation(input: $input) { location { id } } }`,
        { code, name, kind, parentId },
        `location:${code}`,
      )
    ).createLocation.location.id;
  const party = async (code: string, name: string, kind: "SUPPLIER" | "CUSTOMER") =>
    (
      await call<{ createParty: { party: { id: string } } }>(
        `mutation ($input: CreatePartyInput!) { createParty(input: $input) { party { id } } }`,
        { code, name, kind },
        `party:${code}`,
      )
    ).createParty.party.id;
  const material = async (sku: string, name: string, uom: string, kind: string, tracking = "LOT") =>
    (
      await call<{ createMaterial: { material: { id: string } } }>(
        `mutation ($input: CreateMaterialInput!) { createMaterial(input: $input) { material { id } } }`,
        { sku, name, uom, kind, tracking },
        `material:${sku}`,
      )
    ).createMaterial.material.id;

  const site = await location("BAKERY-1", "Lyon bakery", "SITE");
  const receiving = await location("RCV", "Receiving dock", "AREA", site);
  const warehouse = await location("WH", "Raw materials warehouse", "AREA", site);
  await location("LINE-1", "Cookie line 1", "LINE", site);
  const bins = [
    await location("WH-A1", "Rack A, bin 1", "BIN", warehouse),
    await location("WH-A2", "Rack A, bin 2", "BIN", warehouse),
  ];

  const mill = await party("MILL-A", "Moulins Dupont", "SUPPLIER");
  const dairy = await party("DAIRY-B", "Laiterie du Rhône", "SUPPLIER");
  await party("SHOP-1", "Épicerie Centrale", "CUSTOMER");
  await party("SHOP-2", "Carrefour Market Part-Dieu", "CUSTOMER");

  const flour = await material("FLOUR-T55", "Wheat flour T55", "kg", "RAW");
  const butter = await material("BUTTER-82", "Butter 82% fat", "kg", "RAW");
  const sugar = await material("SUGAR-W", "White sugar", "kg", "RAW");
  await material("DOUGH-CC", "Cookie dough", "kg", "INTERMEDIATE");
  await material("COOKIE-BOX-12", "Butter cookies, box of 12", "ea", "FINISHED", "SERIAL");
  await material("BOX-12", "Printed box, 12 cookies", "ea", "PACKAGING");

  const receipts: Array<[string, string, string, string, string, string]> = [
    ["L-FLOUR-0001", flour, "1000", mill, "SL-4471", bins[0]!],
    ["L-FLOUR-0002", flour, "750", mill, "SL-4480", bins[0]!],
    ["L-BUTTER-0001", butter, "200", dairy, "LR-22-118", receiving],
    ["L-SUGAR-0001", sugar, "500", mill, "SU-9001", bins[1]!],
  ];
  // A fixed date, so a second run sends the same input under the same idempotency keys; it must
  // lie ahead: expired material is refused at receipt.
  const expiresAt = "2028-06-30T00:00:00Z";
  for (const [code, materialId, quantity, supplierId, supplierLotCode, locationId] of receipts) {
    await call(
      `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id } } }`,
      { code, materialId, quantity, supplierId, supplierLotCode, locationId, expiresAt },
      `lot:${code}`,
    );
  }
  return { locations: 6, parties: 4, materials: 6, lots: receipts.length };
}

try {
  await main();
} catch (error) {
  if (!(error instanceof SeedError || error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
