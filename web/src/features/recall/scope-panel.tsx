"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useQuery } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { useShownRows } from "@/components/show-more";
import { LotStatusBadge, QualityStatusBadge } from "@/components/status-badge";
import { TraceGraph } from "@/features/trace/trace-graph";
import type { TraceLink, TracedLot } from "@/features/trace/use-trace";
import type { RecallScopeQuery as ScopeData } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { RecallScopeQuery } from "./operations";
import type { RecallCase } from "./recall-case-screen";
import { quantityText } from "./recall-format";
import styles from "./recall.module.css";

type ScopeLot = NonNullable<ScopeData["recallCase"]>["scope"]["lots"][number];

/** Beyond this many lots the graph is too dense to read: the table alone says it better. */
const GRAPH_UP_TO = 400;
const PAGE = 100;

/**
 * Every affected lot, drawn as the genealogy from the source (outlined), with the lots that joined
 * after the case opened marked "found later"; and the same lots as a table.
 */
export function ScopePanel({ recallCase }: { recallCase: RecallCase }) {
  const [result] = useQuery({
    query: RecallScopeQuery,
    variables: { id: recallCase.id },
    requestPolicy: "cache-and-network",
  });
  const lots = result.data?.recallCase?.scope.lots;
  const graph = useMemo(() => (lots ? toGraph(lots) : null), [lots]);
  if (result.error && !lots)
    return (
      <p className={styles.panelState} role="alert">
        The scope could not be read. {describeError(result.error)}
      </p>
    );
  if (!lots || !graph)
    return (
      <p className={styles.panelState} role="status">
        Drawing the affected lots…
      </p>
    );
  const foundLater = lots.filter((l) => !l.frozen).length;
  return (
    <div className={styles.stack}>
      <p className={styles.panelIntro}>
        {lots.length} affected {lots.length === 1 ? "lot" : "lots"}: {lots.length - foundLater} when the case opened
        {foundLater > 0 ? `, ${foundLater} found later (made from affected material or received since)` : ""}.
      </p>
      {lots.length <= GRAPH_UP_TO ? (
        <>
          <TraceGraph lots={graph.lots} links={graph.links} rootIds={graph.roots} label="Scope graph" />
          <ScopeLegend />
        </>
      ) : (
        <p className={styles.panelState}>
          {lots.length} lots are too many to draw clearly: the table below lists every one.
        </p>
      )}
      <ScopeTable lots={lots} layers={graph.layers} />
    </div>
  );
}

/**
 * The scope as the trace graph draws it: the lots no other affected lot went into are the
 * sources (column 0), and each other lot sits as many columns right as the fewest runs from them.
 */
function toGraph(scope: readonly ScopeLot[]) {
  const inScope = new Set(scope.map((s) => s.lot.id));
  const links: TraceLink[] = scope.flatMap((s) =>
    s.lot.parents.filter((p) => inScope.has(p.id)).map((p) => ({ parent: p.id, child: s.lot.id, quantity: null })),
  );
  const children = new Map<string, string[]>();
  for (const link of links) children.set(link.parent, [...(children.get(link.parent) ?? []), link.child]);
  const hasParent = new Set(links.map((l) => l.child));
  const roots = scope.map((s) => s.lot.id).filter((id) => !hasParent.has(id));
  const layers = new Map(roots.map((id) => [id, 0]));
  for (let queue = [...roots]; queue.length > 0;) {
    const next: string[] = [];
    for (const id of queue)
      for (const child of children.get(id) ?? [])
        if (!layers.has(child)) {
          layers.set(child, layers.get(id)! + 1);
          next.push(child);
        }
    queue = next;
  }
  const lots: TracedLot[] = scope.map(({ lot, frozen }) => ({
    id: lot.id,
    code: lot.code,
    materialName: lot.material.name,
    quantity: lot.quantity,
    uom: lot.uom,
    status: lot.status,
    qualityStatus: lot.qualityStatus,
    layer: layers.get(lot.id) ?? 0,
    ...(frozen ? {} : { note: "Found later" }),
  }));
  return { lots, links, roots, layers };
}

function ScopeLegend() {
  return (
    <ul className={styles.legend} aria-label="How to read the graph">
      <li>
        <span className={`${styles.legendSwatch} ${styles.legendSource}`} /> The source
      </li>
      <li>
        <span className={`${styles.legendSwatch} ${styles.legendLater}`} /> Found after the case opened
      </li>
      <li>
        <span className={`${styles.legendSwatch} ${styles.legendHeld}`} /> On hold or quarantine
      </li>
      <li>
        <span className={`${styles.legendSwatch} ${styles.legendDone}`} /> Consumed or shipped
      </li>
      <li>Click a lot to open it.</li>
    </ul>
  );
}

function ScopeTable({ lots, layers }: { lots: readonly ScopeLot[]; layers: ReadonlyMap<string, number> }) {
  const ordered = useMemo(
    () =>
      [...lots].sort(
        (a, b) =>
          (layers.get(a.lot.id) ?? 0) - (layers.get(b.lot.id) ?? 0) ||
          (a.lot.code < b.lot.code ? -1 : a.lot.code > b.lot.code ? 1 : 0),
      ),
    [lots, layers],
  );
  const rows = useShownRows(ordered, PAGE);
  return (
    <section aria-labelledby="scope-lots-title">
      <h2 id="scope-lots-title" className={styles.panelHeading}>
        Affected lots
      </h2>
      <div className={tableStyles.tableWrap}>
        <table className={tableStyles.table}>
          <thead>
            <tr>
              <th scope="col">Lot</th>
              <th scope="col">Material</th>
              <th scope="col" className={styles.num}>
                Runs from source
              </th>
              <th scope="col" className={styles.num}>
                Quantity
              </th>
              <th scope="col">Status</th>
              <th scope="col">Quality</th>
              <th scope="col">In scope</th>
            </tr>
          </thead>
          <tbody>
            {rows.visible.map((entry) => (
              <ScopeRow key={entry.lot.id} entry={entry} layer={layers.get(entry.lot.id) ?? 0} />
            ))}
          </tbody>
        </table>
      </div>
      {lots.length > PAGE && rows.footer}
    </section>
  );
}

function ScopeRow({ entry: { lot, frozen, createdAt }, layer }: { entry: ScopeLot; layer: number }) {
  return (
    <tr data-testid="scope-lot">
      <th scope="row">
        <Link href={`/lots/${encodeURIComponent(lot.code)}`}>{lot.code}</Link>
      </th>
      <td>{lot.material.name}</td>
      <td className={styles.num}>{layer === 0 ? "Source" : layer}</td>
      <td className={styles.num}>{quantityText(lot.quantity, lot.uom)}</td>
      <td>
        <LotStatusBadge status={lot.status} />
      </td>
      <td>
        <QualityStatusBadge status={lot.qualityStatus} />
      </td>
      <td>
        {frozen ? (
          "Since opening"
        ) : (
          <span className={styles.foundLater}>Found later{createdAt ? ` · ${formatDateTime(createdAt)}` : ""}</span>
        )}
      </td>
    </tr>
  );
}
