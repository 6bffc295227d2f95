import { Quantity } from "@lotgraph/kit";
import type { ReconciliationLineView, ReconciliationView } from "./reconciliation-views.ts";

/**
 * A source lot's stock ledger summed by what its movements did (inventory's internal
 * `lotLedgerTotals`), in the lot's unit. consumed, shipped and scrapped are what left (not
 * negative); adjustments are signed (+ found, − lost).
 */
export interface LotLedgerTotals {
  id: string;
  uom: string;
  received: string;
  consumed: string;
  shipped: string;
  scrapped: string;
  adjustments: string;
  onHand: string;
  status: string;
}

/** Reads lots' ledger totals from inventory, in as many calls as it needs. */
export interface LedgerTotalsSource {
  lotLedgerTotals(ids: readonly string[]): Promise<LotLedgerTotals[]>;
}

type Column = "received" | "consumed" | "onHand" | "shipped" | "scrapped" | "adjustments";
const COLUMNS: readonly Column[] = ["received", "consumed", "onHand", "shipped", "scrapped", "adjustments"];

/** What a recall shows when nothing was received: nothing is missing. */
const ALL = 100;

/**
 * A recall's reconciliation of its source lots: received = consumed + on hand + shipped +
 * scrapped ± adjustments, one line per unit of measure (kg and ea do not add up), in exact
 * decimals. A line's `unaccounted` is received + adjustments − consumed − on hand − shipped −
 * scrapped: zero when the ledger explains every unit. Its percentage is what is located (consumed
 * + on hand + shipped + scrapped) of what was received, so a count loss shows below 100 % even
 * though the ledger balances, and a count gain above it.
 *
 * With one unit the whole recall's percentage is that line's. With several it is the lowest
 * line's: kilograms and pieces have no common total, and an average would let a unit that is
 * well located hide one that is not; a recovery figure may understate, never overstate.
 */
export function reconcile(totals: LotLedgerTotals[]): ReconciliationView {
  const byUnit = new Map<string, Record<Column, Quantity>>();
  const seen = new Set<string>();
  for (const lot of totals) {
    // A lot named twice (two cases' sets merged, two batches) is still one lot's stock.
    if (seen.has(lot.id)) continue;
    seen.add(lot.id);
    const sums = byUnit.get(lot.uom) ?? zeros();
    for (const column of COLUMNS) sums[column] = sums[column].plus(lot[column]);
    byUnit.set(lot.uom, sums);
  }
  const lines = [...byUnit.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([uom, sums]) => line(uom, sums));
  return {
    lines,
    percentAccountedFor: lines.length === 0 ? ALL : Math.min(...lines.map((l) => l.percentAccountedFor)),
    balanced: lines.every((l) => Quantity.of(l.unaccounted).isZero()),
  };
}

function line(uom: string, sums: Record<Column, Quantity>): ReconciliationLineView {
  const located = Quantity.sum([sums.consumed, sums.onHand, sums.shipped, sums.scrapped]);
  const unaccounted = sums.received.plus(sums.adjustments).minus(located);
  return {
    uom,
    received: sums.received.toFixed(),
    consumed: sums.consumed.toFixed(),
    onHand: sums.onHand.toFixed(),
    shipped: sums.shipped.toFixed(),
    scrapped: sums.scrapped.toFixed(),
    adjustments: sums.adjustments.toFixed(),
    unaccounted: unaccounted.toFixed(),
    percentAccountedFor: percentOf(located, sums.received),
  };
}

/** located / received × 100, divided exactly and rounded once to 2 decimals; 100 when nothing was received. */
function percentOf(located: Quantity, received: Quantity): number {
  if (received.isZero()) return ALL;
  return Number(Quantity.fromMicros(located.micros * 100n).ratio(received, 2));
}

function zeros(): Record<Column, Quantity> {
  const zero = Quantity.ZERO;
  return { received: zero, consumed: zero, onHand: zero, shipped: zero, scrapped: zero, adjustments: zero };
}
