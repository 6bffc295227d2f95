// Move 1 of an ERP integration: push master data and goods receipts into Lotgraph.
//
//   node examples/01-push-master-data.mjs examples/data/master-data.json
//
// Reads a JSON file shaped like examples/data/master-data.json (what an ERP export would give:
// materials, locations, parties, receipts) and makes Lotgraph agree with it:
// - master data by natural key: a material by SKU, a location or party by code. Missing: created
//   (with the ERP's key as externalRef). Present but different: only the differing fields are
//   updated. Same: nothing is sent. So the whole file can be sent again every night.
// - goods receipts with receiveLot, each with an idempotencyKey made from the ERP's receipt number
//   and item ("GR-5000001234-10"): sending a receipt twice books it once, and returns the lot the
//   first call made.
// Prints one line per row; exits 1 when any row was refused (the others are still done).
//
// Env: LOTGRAPH_URL (e.g. http://localhost:4000/graphql), LOTGRAPH_TOKEN (a service account token).
// Role: MANAGER (creating and changing master data; MANAGER may also receive). An account that only
// posts receipts needs OPERATOR.

import { readFile } from "node:fs/promises";
import { LotgraphError, idempotencyKey, lotgraphFromEnv } from "./lib/lotgraph.mjs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node examples/01-push-master-data.mjs <master-data.json>");
  process.exit(1);
}
const input = JSON.parse(await readFile(file, "utf8"));
const lotgraph = lotgraphFromEnv();
let refused = 0;

/** Runs one row; a refusal (bad row, conflict) is printed and counted, and the next row goes on. */
async function row(label, work) {
  try {
    console.log(`${label}: ${await work()}`);
  } catch (error) {
    if (!(error instanceof LotgraphError)) throw error; // network down, bug: stop here
    refused++;
    console.log(`${label}: REFUSED ${error.message}${error.field ? ` (field ${error.field})` : ""}`);
  }
}

/** The fields of `wanted` whose value differs from `current` (only those are sent). */
function changed(current, wanted, fields) {
  const changes = {};
  for (const field of fields)
    if (wanted[field] !== undefined && wanted[field] !== current[field]) changes[field] = wanted[field];
  return changes;
}

// --- materials, by SKU -----------------------------------------------------------------------

const MATERIAL = `query ($sku: String!) {
  material(sku: $sku) { id sku name uom kind tracking externalRef inspectionRequired }
}`;
const CREATE_MATERIAL = `mutation ($input: CreateMaterialInput!) { createMaterial(input: $input) { material { id } } }`;
const UPDATE_MATERIAL = `mutation ($input: UpdateMaterialInput!) { updateMaterial(input: $input) { material { id } } }`;

for (const material of input.materials ?? []) {
  await row(`material ${material.sku}`, async () => {
    const { material: current } = await lotgraph.request(MATERIAL, { sku: material.sku });
    if (!current) {
      // The key makes a retry after a lost answer return the material instead of CONFLICT (SKU taken).
      await lotgraph.request(CREATE_MATERIAL, {
        input: { ...material, idempotencyKey: idempotencyKey("MAT", material.sku) },
      });
      return "created";
    }
    const changes = changed(current, material, [
      "name",
      "uom",
      "kind",
      "tracking",
      "externalRef",
      "inspectionRequired",
    ]);
    if (Object.keys(changes).length === 0) return "unchanged";
    // No idempotencyKey: an update to given values is idempotent by itself (the same values again
    // change nothing), and a key would wrongly replay an old result if a value later goes back.
    await lotgraph.request(UPDATE_MATERIAL, { input: { materialId: current.id, ...changes } });
    return `updated (${Object.keys(changes).join(", ")})`;
  });
}

// --- locations, by code (a parent before its children in the file) ------------------------

const LOCATION = `query ($code: String!) { location(code: $code) { id code name kind parent { id } } }`;
const CREATE_LOCATION = `mutation ($input: CreateLocationInput!) { createLocation(input: $input) { location { id } } }`;
const UPDATE_LOCATION = `mutation ($input: UpdateLocationInput!) { updateLocation(input: $input) { location { id } } }`;

async function locationId(code) {
  const { location } = await lotgraph.request(LOCATION, { code });
  if (!location) throw new LotgraphError({ message: `no location ${code}`, extensions: { code: "NOT_FOUND" } });
  return location.id;
}

for (const { parentCode, ...location } of input.locations ?? []) {
  await row(`location ${location.code}`, async () => {
    const parentId = parentCode ? await locationId(parentCode) : undefined;
    const { location: current } = await lotgraph.request(LOCATION, { code: location.code });
    if (!current) {
      await lotgraph.request(CREATE_LOCATION, {
        input: { ...location, parentId, idempotencyKey: idempotencyKey("LOC", location.code) },
      });
      return "created";
    }
    const changes = changed({ ...current, parentId: current.parent?.id }, { ...location, parentId }, [
      "name",
      "parentId",
    ]);
    if (Object.keys(changes).length === 0) return "unchanged";
    await lotgraph.request(UPDATE_LOCATION, { input: { locationId: current.id, ...changes } });
    return `updated (${Object.keys(changes).join(", ")})`;
  });
}

// --- parties (suppliers and customers), by code ---------------------------------------------

const PARTY = `query ($code: String!) { party(code: $code) { id code name kind externalRef } }`;
const CREATE_PARTY = `mutation ($input: CreatePartyInput!) { createParty(input: $input) { party { id } } }`;
const UPDATE_PARTY = `mutation ($input: UpdatePartyInput!) { updateParty(input: $input) { party { id } } }`;

for (const party of input.parties ?? []) {
  await row(`party ${party.code}`, async () => {
    const { party: current } = await lotgraph.request(PARTY, { code: party.code });
    if (!current) {
      await lotgraph.request(CREATE_PARTY, { input: { ...party, idempotencyKey: idempotencyKey("PTY", party.code) } });
      return "created";
    }
    const changes = changed(current, party, ["name", "externalRef"]);
    if (Object.keys(changes).length === 0) return "unchanged";
    await lotgraph.request(UPDATE_PARTY, { input: { partyId: current.id, ...changes } });
    return `updated (${Object.keys(changes).join(", ")})`;
  });
}

// --- goods receipts -------------------------------------------------------------------------

const KEYS = `query ($sku: String!, $location: String!, $supplier: String!) {
  material(sku: $sku) { id }
  location(code: $location) { id }
  party(code: $supplier) { id }
}`;
const RECEIVE = `mutation ($input: ReceiveLotInput!) {
  receiveLot(input: $input) { lot { id code quantity uom status externalRef } }
}`;

for (const receipt of input.receipts ?? []) {
  await row(`receipt ${receipt.receiptNumber}/${receipt.item}`, async () => {
    const keys = await lotgraph.request(KEYS, {
      sku: receipt.sku,
      location: receipt.location,
      supplier: receipt.supplier,
    });
    for (const [name, value] of Object.entries(keys))
      if (!value)
        throw new LotgraphError({ message: `unknown ${name} in the receipt`, extensions: { code: "NOT_FOUND" } });
    const { receiveLot } = await lotgraph.request(RECEIVE, {
      input: {
        materialId: keys.material.id,
        locationId: keys.location.id,
        supplierId: keys.party.id,
        quantity: receipt.quantity,
        code: receipt.lotCode,
        supplierLotCode: receipt.supplierLotCode,
        externalRef: receipt.batch,
        expiresAt: receipt.expiresAt,
        // One key per receipt line: a second run returns the lot the first one made.
        idempotencyKey: idempotencyKey("GR", receipt.receiptNumber, receipt.item),
      },
    });
    const lot = receiveLot.lot;
    return `lot ${lot.code} id ${lot.id} batch ${lot.externalRef} (${lot.status})`;
  });
}

if (refused > 0) {
  console.error(`${refused} row(s) refused`);
  process.exit(1);
}
