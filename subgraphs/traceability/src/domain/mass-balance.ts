import { Quantity, badInput } from "@lotgraph/kit";
import type { MassBalanceSums, MassBalanceView } from "./records.ts";

/** A tolerance is a percentage from 0 to 100. */
export function checkTolerance(tolerancePercent: number): number {
  if (!Number.isFinite(tolerancePercent) || tolerancePercent < 0 || tolerancePercent > 100)
    throw badInput("tolerancePercent", "tolerancePercent must be from 0 to 100");
  return tolerancePercent;
}

/**
 * Mass balance (DOMAIN.md: inputs = outputs + scrap + loss, within a tolerance) per unit of
 * measure. Scrap is not in production's events, so the whole difference is loss. A unit with
 * output but no input (e.g. kg in, ea out) cannot balance and is flagged so that a person looks.
 */
export function flagMassBalance(runId: string, tolerancePercent: number, sums: MassBalanceSums[]): MassBalanceView {
  const lines = sums.map((s) => ({
    uom: s.uom,
    input: s.input,
    output: s.output,
    scrap: null,
    difference: s.difference,
    percent: s.percent,
    flagged: s.percent === null ? !Quantity.of(s.output).isZero() : Math.abs(s.percent) > tolerancePercent,
  }));
  return { run: { id: runId }, tolerancePercent, lines, flagged: lines.some((l) => l.flagged) };
}
