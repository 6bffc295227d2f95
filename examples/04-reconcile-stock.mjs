// Move 4 of an ERP integration, part 2: reconcile on-hand stock with the ERP's book.
//
//   node examples/04-reconcile-stock.mjs examples/data/erp-stock.json
//
// Sums Lotgraph's on-hand per material over every lot that still holds stock, split the way an
// ERP splits stock types: AVAILABLE (unrestricted), QUARANTINE (quality inspection), ON_HOLD
// (blocked). Compares the total with the ERP's figure from a JSON file shaped like
// examples/data/erp-stock.json, and prints one line per material: "ok" or the difference. A
// material with stock in Lotgraph that the ERP file does not list is a difference too.
// Exits 0 when everything agrees, 2 when anything differs (for a scheduler to alert on), 1 on error.
//
// Stock moves while you count: compare figures taken at the same time, or run this when the
// floor is quiet, and look again at a difference before booking it.
//
// Env: LOTGRAPH_URL, LOTGRAPH_TOKEN (a service account token). Role: VIEWER (read only).

import { readFile } from "node:fs/promises";
import { addDecimals, lotgraphFromEnv } from "./lib/lotgraph.mjs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node examples/04-reconcile-stock.mjs <erp-stock.json>");
  process.exit(1);
}
const erp = JSON.parse(await readFile(file, "utf8"));
const lotgraph = lotgraphFromEnv();

const LOTS = `query ($after: String) {
  lots(first: 500, after: $after, filter: { status: [AVAILABLE, QUARANTINE, ON_HOLD] }) {
    pageInfo { hasNextPage endCursor }
    edges { node { quantity uom status material { sku } } }
  }
}`;

/** sku → { uom, AVAILABLE, QUARANTINE, ON_HOLD } as decimal strings. */
const stock = new Map();
for await (const lot of lotgraph.paginate(LOTS, {}, (data) => data.lots)) {
  const entry = stock.get(lot.material.sku) ?? { uom: lot.uom, AVAILABLE: "0", QUARANTINE: "0", ON_HOLD: "0" };
  entry[lot.status] = addDecimals(entry[lot.status], lot.quantity);
  stock.set(lot.material.sku, entry);
}

const empty = { AVAILABLE: "0", QUARANTINE: "0", ON_HOLD: "0" };
const erpBySku = new Map((erp.onHand ?? []).map((line) => [line.sku, line]));
const skus = [...new Set([...erpBySku.keys(), ...stock.keys()])].sort();
let differences = 0;

for (const sku of skus) {
  const ours = stock.get(sku) ?? { ...empty, uom: erpBySku.get(sku)?.uom ?? "" };
  const total = addDecimals(ours.AVAILABLE, ours.QUARANTINE, ours.ON_HOLD);
  const split = `available ${ours.AVAILABLE}, quarantine ${ours.QUARANTINE}, on hold ${ours.ON_HOLD}`;
  const line = erpBySku.get(sku);
  if (!line) {
    differences++;
    console.log(`${sku}: DIFFERENT Lotgraph ${total} ${ours.uom} (${split}), not in the ERP file`);
    continue;
  }
  if (line.uom && ours.uom && line.uom !== ours.uom) {
    differences++;
    console.log(`${sku}: DIFFERENT units: Lotgraph counts in ${ours.uom}, the ERP in ${line.uom}`);
    continue;
  }
  const difference = addDecimals(total, `-${line.quantity}`.replace("--", ""));
  if (difference === "0") console.log(`${sku}: ok ${total} ${ours.uom}`);
  else {
    differences++;
    console.log(
      `${sku}: DIFFERENT Lotgraph ${total} ${ours.uom} (${split}), ERP ${line.quantity}, difference ${difference}`,
    );
  }
}

console.error(`${skus.length} material(s) compared, ${differences} difference(s)`);
process.exit(differences > 0 ? 2 : 0);
