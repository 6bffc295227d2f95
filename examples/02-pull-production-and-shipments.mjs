// Move 2 of an ERP integration: pull production and shipments out of Lotgraph, incrementally.
//
//   STATE_FILE=/var/lib/erp-bridge/lotgraph-movements.json node examples/02-pull-production-and-shipments.mjs
//
// Reads the stock ledger (`stockMovements`) from where the last run stopped and prints one line per
// goods movement, which is what an ERP books: receipts, consumptions and outputs of production
// runs, shipments, transfers, adjustments and scrap. The position is the ledger's cursor, kept in
// STATE_FILE after every page: a second run prints only what is new, and nothing when nothing is.
// A movement never appears behind a cursor already handed out, so none is skipped.
//
// Crash between printing and saving the cursor: the page is printed again on the next run. Book
// idempotently in the ERP by the movement id (the first column), as you would any interface
// document.
//
// Env: LOTGRAPH_URL (e.g. http://localhost:4000/graphql), LOTGRAPH_TOKEN (a service account token),
// STATE_FILE (default ./lotgraph-movements.state.json). Role: VIEWER is enough (read only).

import { readFile, rename, writeFile } from "node:fs/promises";
import { lotgraphFromEnv } from "./lib/lotgraph.mjs";

const lotgraph = lotgraphFromEnv();
const stateFile = process.env.STATE_FILE ?? "./lotgraph-movements.state.json";

const MOVEMENTS = `query ($after: String) {
  stockMovements(first: 200, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id kind quantity balance createdAt runId
        lot { code externalRef uom material { sku externalRef } }
        fromLocation { code }
        toLocation { code }
        shipment { reference externalRef customer { code externalRef } }
      }
    }
  }
}`;

/**
 * An example mapping to SAP movement types, to show where each kind goes; your ERP's own
 * customizing decides. A CONSUMPTION or PRODUCTION carries the run id to settle against the order.
 */
const ERP_MOVEMENT_TYPE = {
  RECEIPT: "101", // goods receipt for purchase order
  PRODUCTION: "101", // goods receipt for production order
  CONSUMPTION: "261", // goods issue for production order
  SHIPMENT: "601", // goods issue for delivery
  TRANSFER: "311", // transfer posting, storage location to storage location
  ADJUSTMENT: "701", // inventory difference (702 when negative)
  SCRAP: "551", // scrapping
};

async function loadCursor() {
  try {
    return JSON.parse(await readFile(stateFile, "utf8")).after ?? null;
  } catch (error) {
    if (error.code === "ENOENT") return null; // first run: from the start of the ledger
    throw error;
  }
}

/** Writes the state beside and renames it over the old one, so a crash never leaves half a file. */
async function saveCursor(after) {
  await writeFile(`${stateFile}.tmp`, JSON.stringify({ after, savedAt: new Date().toISOString() }));
  await rename(`${stateFile}.tmp`, stateFile);
}

function posting(movement) {
  const type =
    movement.kind === "ADJUSTMENT" && movement.quantity.startsWith("-") ? "702" : ERP_MOVEMENT_TYPE[movement.kind];
  const { lot } = movement;
  const where =
    movement.kind === "TRANSFER"
      ? `${movement.fromLocation?.code ?? "?"}->${movement.toLocation?.code ?? "?"}`
      : (movement.toLocation?.code ?? "-");
  const columns = [
    movement.id,
    movement.createdAt,
    `${movement.kind}/${type}`,
    `material=${lot.material.externalRef ?? lot.material.sku}`,
    `lot=${lot.code}`,
    `batch=${lot.externalRef ?? "-"}`,
    `qty=${movement.quantity} ${lot.uom}`,
    `at=${where}`,
  ];
  if (movement.runId) columns.push(`run=${movement.runId}`);
  if (movement.shipment)
    columns.push(
      `delivery=${movement.shipment.externalRef ?? movement.shipment.reference}`,
      `customer=${movement.shipment.customer.externalRef ?? movement.shipment.customer.code}`,
    );
  return columns.join(" ");
}

let after = await loadCursor();
let count = 0;
for (;;) {
  const { stockMovements: page } = await lotgraph.request(MOVEMENTS, { after });
  for (const { node } of page.edges) console.log(posting(node));
  count += page.edges.length;
  // An empty page has no endCursor: keep the one we have.
  if (page.pageInfo.endCursor) {
    after = page.pageInfo.endCursor;
    await saveCursor(after);
  }
  if (!page.pageInfo.hasNextPage) break;
}
console.error(`${count} new movement(s); cursor saved in ${stateFile}`);
