"use client";

import { useMemo, useState, type ReactNode } from "react";
import { useQuery } from "urql";
import { describeError } from "@/lib/errors";
import { ControlChart, type ChartPoint } from "./control-chart";
import { formatLimits, formatNumber, formatStatistic } from "./format-limits";
import { ListFooter, ListState } from "@/components/list-footer";
import { CharacteristicStatisticsQuery, GateDecisionsQuery } from "./operations";
import type { Gate } from "./quality-screen";
import { usePaged } from "@/lib/use-paged";
import styles from "./quality.module.css";

const PERIODS = [
  { days: 7, label: "Last 7 days" },
  { days: 30, label: "Last 30 days" },
  { days: 90, label: "Last 90 days" },
  { days: 365, label: "Last 12 months" },
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Capability as plants read it: 1.33 and above is capable, 1 to 1.33 marginal, below 1 not capable. */
function capability(cpk: number | null | undefined): { label: string; tone: string } | null {
  if (cpk == null) return null;
  if (cpk >= 1.33) return { label: "capable", tone: "ok" };
  if (cpk >= 1) return { label: "marginal", tone: "warn" };
  return { label: "not capable", tone: "danger" };
}

/** One gate's characteristics over a period: a chart of each, with its count, mean, σ, Cp and Cpk. */
export function ChartsPanel({ gates, revision }: { gates: Gate[]; revision: number }) {
  const measured = gates.filter((gate) => gate.characteristics.length > 0);
  const [gateId, setGateId] = useState(measured[0]?.id ?? "");
  const [days, setDays] = useState<number>(30);
  const gate = measured.find((g) => g.id === gateId);
  // The window is fixed when the period is picked or a decision arrives, not on every render.
  const span = useMemo(() => {
    const to = new Date(Date.now() + 60_000);
    return { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString(), revision };
  }, [days, revision]);

  if (!gate)
    return (
      <div className={styles.statePanel}>
        <h2>No measured characteristic</h2>
        <p>Control charts need a gate with characteristics to measure.</p>
      </div>
    );
  return (
    <div className={styles.stack}>
      <div className={styles.chartControls}>
        <div className={styles.field}>
          <label htmlFor="chart-gate">Gate</label>
          <select id="chart-gate" className="input" value={gate.id} onChange={(event) => setGateId(event.target.value)}>
            {measured.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor="chart-period">Period</label>
          <select
            id="chart-period"
            className="input"
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
          >
            {PERIODS.map((period) => (
              <option key={period.days} value={period.days}>
                {period.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <GateCharts key={gate.id} gate={gate} span={span} />
    </div>
  );
}

function GateCharts({ gate, span }: { gate: Gate; span: { from: string; to: string; revision: number } }) {
  const decisions = usePaged(GateDecisionsQuery, { gateId: gate.id }, (data) => data.qcDecisions, {
    pageSize: 200,
    revision: span.revision,
  });
  const inWindow = decisions.items.filter((d) => d.decidedAt >= span.from && d.decidedAt < span.to);
  return (
    <>
      <ListState
        list={decisions}
        what="the measurements"
        empty="No decision at this gate yet: the charts fill in as measurements are recorded."
      />
      {!decisions.loading && (
        <div className={styles.chartGrid}>
          {gate.characteristics.map((spec) => {
            const points: ChartPoint[] = inWindow.flatMap((d) =>
              d.measurements
                .filter((m) => m.characteristic === spec.name)
                .map((m) => ({ at: d.decidedAt, value: m.value })),
            );
            return (
              <section
                key={spec.name}
                className={styles.chartCard}
                aria-labelledby={`chart-${spec.name}`}
                data-testid="characteristic-chart"
              >
                <header className={styles.chartHead}>
                  <h2 id={`chart-${spec.name}`}>
                    {spec.name}
                    {spec.unit && <span className={styles.unit}> ({spec.unit})</span>}
                  </h2>
                  <span className={styles.muted}>Limits {formatLimits(spec.lower, spec.upper, spec.unit)}</span>
                </header>
                <Statistics gateId={gate.id} characteristic={spec.name} from={span.from} to={span.to} />
                <ControlChart name={spec.name} unit={spec.unit} lower={spec.lower} upper={spec.upper} points={points} />
              </section>
            );
          })}
        </div>
      )}
      {decisions.items.length > 0 && <ListFooter list={decisions} noun="latest decisions charted" />}
    </>
  );
}

function Statistics({
  gateId,
  characteristic,
  from,
  to,
}: {
  gateId: string;
  characteristic: string;
  from: string;
  to: string;
}) {
  const [{ data, error, fetching }] = useQuery({
    query: CharacteristicStatisticsQuery,
    variables: { gateId, characteristic, from, to },
    requestPolicy: "network-only",
  });
  if (error && !data)
    return (
      <p className={styles.inlineError} role="alert">
        {describeError(error)}
      </p>
    );
  const stats = data?.characteristicStatistics;
  if (!stats)
    return (
      <p className={styles.statsLoading} role="status" aria-busy={fetching}>
        Computing the statistics…
      </p>
    );
  const verdict = capability(stats.cpk);
  return (
    <dl className={styles.stats} data-testid="statistics">
      <Stat label="Count">{stats.count}</Stat>
      <Stat label="Mean">{stats.mean == null ? "—" : formatNumber(Number(stats.mean.toPrecision(6)))}</Stat>
      <Stat label="σ (sd)">{formatStatistic(stats.standardDeviation, 3)}</Stat>
      <Stat label="Cp">{formatStatistic(stats.cp)}</Stat>
      <Stat label="Cpk" tone={verdict?.tone}>
        {formatStatistic(stats.cpk)}
        {verdict && <span className={styles.verdict}> {verdict.label}</span>}
      </Stat>
    </dl>
  );
}

function Stat({ label, tone, children }: { label: string; tone?: string; children: ReactNode }) {
  return (
    <div className={tone ? `${styles.stat} ${styles[`stat-${tone}`]}` : styles.stat}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
