"use client";

import type { CombinedError } from "urql";
import type { ProductionMassBalanceQuery } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatQuantity } from "./quantity";
import styles from "./run-console.module.css";

type Balance = ProductionMassBalanceQuery["massBalance"];

const percent = (value: number) => `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} %`;

/** In, out and the difference per unit of measure, and whether the difference is within tolerance. */
export function MassBalancePanel({
  balance,
  error,
  loading,
  final = false,
}: {
  balance: Balance | null;
  error: CombinedError | undefined;
  loading: boolean;
  final?: boolean;
}) {
  const title = final ? "Mass balance" : "Mass balance so far";
  return (
    <section className={styles.card} aria-labelledby="balance-title" data-testid="mass-balance">
      <h2 id="balance-title">{title}</h2>
      {error && !balance ? (
        <p className={styles.refusal} role="alert">
          {describeError(error)}
        </p>
      ) : !balance ? (
        <p className={styles.muted} role="status">
          {loading ? "Reading the mass balance…" : "No mass balance yet."}
        </p>
      ) : balance.lines.length === 0 ? (
        <p className={styles.muted}>Nothing consumed or made yet.</p>
      ) : (
        <>
          <BalanceVerdict balance={balance} final={final} />
          <BalanceTable balance={balance} final={final} />
          {final && (
            <p className={styles.note}>Scrap is not recorded per run yet, so the whole difference counts as loss.</p>
          )}
        </>
      )}
    </section>
  );
}

/** Once the run is complete, whether the difference is within tolerance; before, that it will be checked. */
function BalanceVerdict({ balance, final }: { balance: Balance; final: boolean }) {
  return (
    <>
      {final ? (
        <p className={balance.flagged ? styles.balanceOff : styles.balanceOk} role="status">
          <span aria-hidden="true">{balance.flagged ? "✕ " : "✓ "}</span>
          {balance.flagged
            ? `Outside the ${percent(balance.tolerancePercent)} tolerance: check for unrecorded scrap or a missed scan.`
            : `Within the ${percent(balance.tolerancePercent)} tolerance.`}
        </p>
      ) : (
        <p className={styles.note}>
          The difference is checked against the {percent(balance.tolerancePercent)} tolerance once the run is complete.
        </p>
      )}
    </>
  );
}

function BalanceTable({ balance, final }: { balance: Balance; final: boolean }) {
  return (
    <table className={styles.balanceTable}>
      <caption className="visually-hidden">Mass balance per unit of measure</caption>
      <thead>
        <tr>
          <th scope="col">Unit</th>
          <th scope="col">In</th>
          <th scope="col">Out</th>
          <th scope="col">Difference</th>
          {final && <th scope="col">Tolerance</th>}
        </tr>
      </thead>
      <tbody>
        {balance.lines.map((line) => (
          <tr key={line.uom} data-testid="balance-line">
            <th scope="row">{line.uom}</th>
            <td>{formatQuantity(line.input)}</td>
            <td>{formatQuantity(line.output)}</td>
            <td>
              {formatQuantity(line.difference)}
              {line.percent !== null && line.percent !== undefined && (
                <span className={styles.muted}> ({percent(line.percent)})</span>
              )}
            </td>
            {final && (
              <td className={line.flagged ? styles.outside : styles.within}>
                {line.flagged ? "✕ outside" : "✓ within"}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
