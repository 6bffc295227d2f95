import { DecisionBadge } from "@/components/status-badge";
import { formatDateTime } from "@/lib/format";
import type { Lot } from "./lot-types";
import styles from "./lot-detail.module.css";

type Decision = Lot["decisions"][number];

/** The QC decisions taken on the lot, each with its measurements. */
export function DecisionList({ decisions }: { decisions: Lot["decisions"] }) {
  if (decisions.length === 0) return <p className={styles.muted}>No QC decision on this lot yet.</p>;
  return (
    <ul className={styles.list}>
      {decisions.map((decision) => (
        <DecisionItem key={decision.id} decision={decision} />
      ))}
    </ul>
  );
}

function DecisionItem({ decision }: { decision: Decision }) {
  return (
    <li className={styles.item}>
      <div className={styles.itemHead}>
        <DecisionBadge result={decision.result} />
        <strong>{decision.gate.name}</strong>
        <span className={styles.muted}>
          {decision.decidedByName}, {formatDateTime(decision.decidedAt)}
        </span>
      </div>
      {decision.notes && <p className={styles.note}>{decision.notes}</p>}
      {decision.measurements.length > 0 && <MeasurementTable decision={decision} />}
    </li>
  );
}

function MeasurementTable({ decision }: { decision: Decision }) {
  return (
    <table className={styles.measurements}>
      <caption className="visually-hidden">Measurements at {decision.gate.name}</caption>
      <thead>
        <tr>
          <th scope="col">Characteristic</th>
          <th scope="col">Value</th>
          <th scope="col">Limits</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {decision.measurements.map((m) => (
          <tr key={m.characteristic}>
            <th scope="row">{m.characteristic}</th>
            <td>{m.value}</td>
            <td>
              {m.lower} – {m.upper}
            </td>
            <td className={m.withinLimits ? styles.within : styles.outside}>
              {m.withinLimits ? "✓ within" : "✕ outside"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
