import { Quantity } from "@lotgraph/kit";
import type { LotStatus, MovementKind } from "./records.ts";

/** The most lots one `lotLedgerTotals` call answers (callers batch), as for `lotFacts`. */
export const MAX_LOT_LEDGER_TOTALS = 5000;

/** Internal `lotLedgerTotals`: a lot's ledger summed by what its movements did, in its unit. */
export interface LotLedgerTotalsRecord {
  id: string;
  uom: string;
  received: string;
  consumed: string;
  shipped: string;
  scrapped: string;
  /** Signed: + found, − lost. */
  adjustments: string;
  onHand: string;
  status: LotStatus;
}

/**
 * One lot's movements of one kind, summed (`total` is signed, as the ledger stores changes of
 * on-hand), with the lot's unit, status and on-hand. A lot without any movement (none exists:
 * every lot is created with its first) would come as one row with `kind` null.
 */
export interface LedgerSumRow {
  lotId: string;
  uom: string;
  status: LotStatus;
  onHand: string;
  kind: MovementKind | null;
  total: string | null;
}

type Column = "received" | "consumed" | "shipped" | "scrapped" | "adjustments";

/**
 * Where each kind of movement goes in a reconciliation (received + adjustments = consumed +
 * shipped + scrapped + on hand), and with which sign: the ledger stores each movement as a
 * signed change of on-hand, so what left the lot is negated to read as a quantity.
 *
 * - RECEIPT: the lot came in from a supplier (or as opening stock, which imports as a receipt).
 * - PRODUCTION: the lot was made; the quantity it came into being with is its "received".
 * - CONSUMPTION: a production run used it up; it now lives on in the run's outputs.
 * - SHIPMENT: it left for a customer.
 * - SCRAP: destroyed on purpose (scrapLot, or quality's SCRAP disposition of a nonconformance).
 * - ADJUSTMENT: a count correction, kept signed: + found, − lost. It is the only column that is
 *   not material located somewhere, which is why the reconciliation shows it on its own.
 * - TRANSFER: a move between locations, quantity 0: neither in nor out of the lot.
 *
 * Holds, quarantine, QC decisions and releases change a lot's status only; they write no
 * movement, so they have no column (the status is reported as it is now).
 *
 * A Record over every kind: a new kind of movement does not compile until it is placed here.
 */
const COLUMN: Readonly<Record<MovementKind, { column: Column; sign: 1 | -1 } | null>> = {
  RECEIPT: { column: "received", sign: 1 },
  PRODUCTION: { column: "received", sign: 1 },
  CONSUMPTION: { column: "consumed", sign: -1 },
  SHIPMENT: { column: "shipped", sign: -1 },
  SCRAP: { column: "scrapped", sign: -1 },
  ADJUSTMENT: { column: "adjustments", sign: 1 },
  TRANSFER: null,
};

interface Totals {
  id: string;
  uom: string;
  status: LotStatus;
  onHand: string;
  sums: Record<Column, Quantity>;
}

/**
 * Folds the per-kind sums into one line per lot, in the order the lots were asked for.
 *
 * On-hand is the lot's quantity, read with the sums in one statement. Inventory keeps it equal to
 * the ledger's sum (written in the same transaction as every movement), so the columns balance;
 * were the two ever to differ, the reconciliation shows the difference as unaccounted instead of
 * hiding it behind an on-hand recomputed from the same sums.
 */
export function ledgerTotals(order: readonly string[], rows: readonly LedgerSumRow[]): LotLedgerTotalsRecord[] {
  const byLot = new Map<string, Totals>();
  for (const row of rows) {
    let totals = byLot.get(row.lotId);
    if (!totals) {
      const zero = Quantity.ZERO;
      totals = {
        id: row.lotId,
        uom: row.uom,
        status: row.status,
        onHand: row.onHand,
        sums: { received: zero, consumed: zero, shipped: zero, scrapped: zero, adjustments: zero },
      };
      byLot.set(row.lotId, totals);
    }
    if (row.kind === null || row.total === null) continue;
    if (!Object.hasOwn(COLUMN, row.kind))
      throw new Error(`stock movement kind ${row.kind} has no place in ledger totals`);
    const place = COLUMN[row.kind];
    if (!place) continue;
    const total = Quantity.of(row.total);
    totals.sums[place.column] = totals.sums[place.column].plus(place.sign === 1 ? total : total.negated());
  }
  return order.flatMap((id) => {
    const totals = byLot.get(id);
    if (!totals) return [];
    const { sums } = totals;
    return [
      {
        id,
        uom: totals.uom,
        received: sums.received.toFixed(),
        consumed: sums.consumed.toFixed(),
        shipped: sums.shipped.toFixed(),
        scrapped: sums.scrapped.toFixed(),
        adjustments: sums.adjustments.toFixed(),
        onHand: Quantity.of(totals.onHand).toFixed(),
        status: totals.status,
      },
    ];
  });
}
