"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { LotStatusBadge, QualityStatusBadge } from "@/components/status-badge";
import { describeError } from "@/lib/errors";
import { formatDecimal } from "@/lib/format";
import pageStyles from "@/components/page.module.css";
import tableStyles from "@/components/data-table.module.css";
import { useShownRows } from "@/components/show-more";
import { SerialAsBuilt } from "./as-built";
import { TraceExports } from "./trace-exports";
import { TraceGraph } from "./trace-graph";
import { useTrace, type TraceDirectionChoice, type TracedLot } from "./use-trace";
import styles from "./trace.module.css";

const DEPTHS = [1, 2, 3, 5, 10, 50, 1000] as const;
const DEFAULT_DEPTH = 50;
const DIRECTIONS: ReadonlyArray<{ value: TraceDirectionChoice; label: string }> = [
  { value: "both", label: "Both ways" },
  { value: "upstream", label: "Made from" },
  { value: "downstream", label: "Used in" },
];
const LIST_PAGE = 100;

/** Reads the view from the address, so a trace can be shared or bookmarked as it is shown. */
function useTraceView() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const direction = (DIRECTIONS.find((d) => d.value === params.get("direction"))?.value ??
    "both") as TraceDirectionChoice;
  const asked = Number(params.get("depth"));
  const depth = Number.isInteger(asked) && asked >= 1 && asked <= 1000 ? asked : DEFAULT_DEPTH;
  const set = (next: { direction?: TraceDirectionChoice; depth?: number }) => {
    const query = new URLSearchParams(params.toString());
    if (next.direction) query.set("direction", next.direction);
    if (next.depth) query.set("depth", String(next.depth));
    router.replace(`${pathname}?${query.toString()}`, { scroll: false });
  };
  return { direction, depth, set };
}

/** A lot's genealogy both ways as a graph, with its lots listed, its exports and its serials' as-built trees. */
export function TraceScreen({ code }: { code: string }) {
  const view = useTraceView();
  const trace = useTrace(code, view.direction, view.depth);

  if (trace.root.fetching && !trace.root.data)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (trace.root.error)
    return (
      <div className={pageStyles.statePanel} role="alert">
        <h1>Trace</h1>
        <p>{describeError(trace.root.error)}</p>
      </div>
    );
  const lot = trace.lot;
  if (!lot)
    return (
      <div className={pageStyles.statePanel}>
        <h1>No lot {code}</h1>
        <p>No lot has this code. Check the label, or search for it.</p>
        <Link href="/trace" className="button">
          Search again
        </Link>
      </div>
    );
  return (
    <>
      <TraceHeader lot={lot} />

      <TraceControls view={view} lot={lot} />

      <TraceBody trace={trace} rootId={lot.id} depth={view.depth} onDeeper={(depth) => view.set({ depth })} />
      <SerialAsBuilt serials={lot.serials} />
    </>
  );
}

type TraceView = ReturnType<typeof useTraceView>;
type RootLot = NonNullable<ReturnType<typeof useTrace>["lot"]>;

/** The lot traced, its states, and where to go from it. */
function TraceHeader({ lot }: { lot: RootLot }) {
  return (
    <div className={pageStyles.toolbar}>
      <div>
        <h1 className={pageStyles.title}>Trace {lot.code}</h1>
        <p className={pageStyles.lede}>
          {lot.material.name} · {formatDecimal(lot.quantity)} {lot.uom} · <LotStatusBadge status={lot.status} />{" "}
          <QualityStatusBadge status={lot.qualityStatus} />
        </p>
      </div>
      <div className={styles.actions}>
        <Link href={`/lots/${encodeURIComponent(lot.code)}`} className="button">
          Open lot
        </Link>
        <Link href={`/recall?lot=${encodeURIComponent(lot.code)}`} className="button button-primary">
          Recall from this lot
        </Link>
      </div>
    </div>
  );
}

/** Which way and how deep to trace, and the exports of what is shown. */
function TraceControls({ view, lot }: { view: TraceView; lot: RootLot }) {
  const exportDirection = view.direction === "upstream" ? "UPSTREAM" : "DOWNSTREAM";
  return (
    <div className={styles.controls}>
      <fieldset className={styles.segmented}>
        <legend>Direction</legend>
        {DIRECTIONS.map((option) => (
          <label key={option.value}>
            <input
              type="radio"
              name="direction"
              value={option.value}
              checked={view.direction === option.value}
              onChange={() => view.set({ direction: option.value })}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      <label className={styles.field}>
        Depth (links)
        <select
          className="input"
          value={view.depth}
          onChange={(event) => view.set({ depth: Number(event.target.value) })}
        >
          {[...new Set([...DEPTHS, view.depth])]
            .sort((a, b) => a - b)
            .map((depth) => (
              <option key={depth} value={depth}>
                {depth === 1000 ? "All" : depth}
              </option>
            ))}
        </select>
      </label>
      <TraceExports lotId={lot.id} code={lot.code} direction={exportDirection} />
    </div>
  );
}

function TraceBody({
  trace,
  rootId,
  depth,
  onDeeper,
}: {
  trace: ReturnType<typeof useTrace>;
  rootId: string;
  depth: number;
  onDeeper: (depth: number) => void;
}) {
  if (trace.graph.error)
    return (
      <div className={styles.graphState} role="alert">
        {describeError(trace.graph.error)}
      </div>
    );
  if (trace.graph.fetching && trace.lots.length === 0)
    return (
      <div className={styles.graphState} role="status">
        Tracing…
      </div>
    );
  const upstream = trace.lots.filter((lot) => lot.layer < 0).length;
  const downstream = trace.lots.filter((lot) => lot.layer > 0).length;
  const truncated = trace.truncated.upstream || trace.truncated.downstream;
  return (
    <>
      <p className={styles.summary} role="status" aria-live="polite">
        {traceSummary(upstream, downstream)}
      </p>
      {truncated && (
        <p className={styles.truncated}>
          More lots lie beyond {depth} {depth === 1 ? "link" : "links"}
          {trace.truncated.upstream && trace.truncated.downstream ? " both ways" : ""}.
          <button type="button" className="button" onClick={() => onDeeper(nextDepth(depth))}>
            Show {nextDepth(depth) === 1000 ? "all" : `${nextDepth(depth)} links`}
          </button>
        </p>
      )}
      <TraceGraph lots={trace.lots} links={trace.links} rootIds={[rootId]} />
      <Legend />
      <TraceLotList lots={trace.lots} />
    </>
  );
}

const lotCount = (n: number) => `${n} ${n === 1 ? "lot" : "lots"}`;

function traceSummary(upstream: number, downstream: number): string {
  if (upstream === 0 && downstream === 0)
    return "Only this lot: it was received from outside and nothing is made from it yet.";
  return `${lotCount(upstream + downstream + 1)} in this trace: made from ${lotCount(upstream)}, used in ${lotCount(downstream)}. Click a lot to open it.`;
}

function nextDepth(depth: number): number {
  return DEPTHS.find((d) => d > depth) ?? 1000;
}

function Legend() {
  return (
    <ul className={styles.legend} aria-label="Colours">
      <li>
        <span className={`${styles.swatch} ${styles.status_AVAILABLE}`} /> Available
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.status_ON_HOLD}`} /> On hold or quarantine
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.status_CONSUMED}`} /> Consumed or shipped
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.status_SCRAPPED}`} /> Scrapped
      </li>
      <li>
        <span className={styles.bar} style={{ background: "var(--green-border)" }} /> QC passed
      </li>
      <li>
        <span className={styles.bar} style={{ background: "var(--blue-border)" }} /> QC pending
      </li>
      <li>
        <span className={styles.bar} style={{ background: "var(--amber-border)" }} /> QC hold
      </li>
      <li>
        <span className={styles.bar} style={{ background: "#c62828" }} /> Rejected
      </li>
    </ul>
  );
}

const where = (layer: number) => (layer === 0 ? "This lot" : layer < 0 ? `${-layer} up` : `${layer} down`);

/** The same lots as rows: searchable by eye, printable, and usable without a pointer. */
function TraceLotList({ lots }: { lots: TracedLot[] }) {
  // The rows follow the graph by a frame: the graph is what a person waits for.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setReady(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  const ordered = useMemo(
    () => [...lots].sort((a, b) => a.layer - b.layer || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    [lots],
  );
  const rows = useShownRows(ordered, LIST_PAGE);
  if (!ready) return null;
  return (
    <section className={styles.section} aria-labelledby="trace-lots-title">
      <h2 id="trace-lots-title">Lots in this trace</h2>
      <div className={tableStyles.tableWrap}>
        <table className={tableStyles.table}>
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Lot</th>
              <th scope="col">Material</th>
              <th scope="col">Quantity</th>
              <th scope="col">Status</th>
              <th scope="col">Quality</th>
            </tr>
          </thead>
          <tbody>
            {rows.visible.map((lot) => (
              <tr key={lot.id}>
                <td>{where(lot.layer)}</td>
                <th scope="row">
                  <Link href={`/lots/${encodeURIComponent(lot.code)}`}>{lot.code}</Link>
                </th>
                <td>{lot.materialName}</td>
                <td>
                  {formatDecimal(lot.quantity)} {lot.uom}
                </td>
                <td>
                  <LotStatusBadge status={lot.status} />
                </td>
                <td>
                  <QualityStatusBadge status={lot.qualityStatus} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.footer}
    </section>
  );
}
