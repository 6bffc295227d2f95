"use client";

import type { Gate } from "./quality-screen";
import { GateDecisions } from "./gate-decisions";
import { formatLimits } from "./format-limits";
import styles from "./quality.module.css";

/** Every gate: what it checks, within which limits, and its latest decisions. */
export function GatesPanel({
  gates,
  revision,
  onRecord,
}: {
  gates: Gate[];
  revision: number;
  onRecord(gateId: string): void;
}) {
  return (
    <div className={styles.gateList}>
      {gates.map((gate) => (
        <GateCard key={gate.id} gate={gate} revision={revision} onRecord={() => onRecord(gate.id)} />
      ))}
    </div>
  );
}

function GateCard({ gate, revision, onRecord }: { gate: Gate; revision: number; onRecord(): void }) {
  const headingId = `gate-${gate.id}`;
  return (
    <article className={styles.card} aria-labelledby={headingId} data-testid="gate-card">
      <header className={styles.cardHead}>
        <div>
          <h2 id={headingId}>{gate.name}</h2>
          <p className={styles.chips}>
            {gate.blocking ? (
              <span className={styles.chipBlocking}>Blocking: a run waits for a PASS here</span>
            ) : (
              <span className={styles.chip}>Not blocking</span>
            )}
            {gate.criticalControlPoint && <span className={styles.chipCcp}>Critical control point</span>}
            {gate.segregationOfDuties && <span className={styles.chip}>Second person passes</span>}
          </p>
        </div>
        <button type="button" className="button button-primary" onClick={onRecord}>
          Record a decision
        </button>
      </header>
      <div className={styles.gateBody}>
        <div>
          <h3 className={styles.subheading}>Checklist</h3>
          {gate.characteristics.length === 0 ? (
            <p className={styles.muted}>No measured characteristic: a visual check.</p>
          ) : (
            <table className={styles.specTable}>
              <caption className="visually-hidden">Characteristics checked at {gate.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Characteristic</th>
                  <th scope="col">Limits</th>
                </tr>
              </thead>
              <tbody>
                {gate.characteristics.map((c) => (
                  <tr key={c.name}>
                    <th scope="row">{c.name}</th>
                    <td className={styles.number}>{formatLimits(c.lower, c.upper, c.unit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3 className={styles.subheading}>Latest decisions</h3>
          <GateDecisions gate={gate} revision={revision} />
        </div>
      </div>
    </article>
  );
}
