"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation } from "urql";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { formatQuantity } from "./quantity";
import { useAttemptKey } from "@/lib/attempt-key";
import { ReleaseWorkOrderMutation, StartRunMutation } from "./operations";
import { RunStatusBadge, WorkOrderStatusBadge } from "./status";
import type { useWorkOrders, WorkOrderRow } from "./use-work-orders";
import styles from "./production.module.css";

export const runHref = (id: string) => `/production/runs/${encodeURIComponent(id)}`;

type List = ReturnType<typeof useWorkOrders>;

export function WorkOrderList({
  list,
  gateNames,
  manager,
  filtered,
}: {
  list: List;
  gateNames: Map<string, string>;
  manager: boolean;
  filtered: boolean;
}) {
  if (list.error && list.orders.length === 0)
    return (
      <div className={styles.statePanel} role="alert">
        <h2>The work orders could not be loaded</h2>
        <p>{describeError(list.error)}</p>
        <button type="button" className="button" onClick={() => void list.reload()}>
          Try again
        </button>
      </div>
    );
  if (list.loading)
    return (
      <div className={styles.statePanel} role="status" aria-busy="true">
        Loading work orders…
      </div>
    );
  if (list.orders.length === 0)
    return (
      <div className={styles.statePanel}>
        <h2>{filtered ? "No work order matches" : "No work orders yet"}</h2>
        <p>
          {filtered
            ? "Choose another status or line."
            : manager
              ? "Plan one with “New work order”."
              : "A production manager plans and releases them."}
        </p>
      </div>
    );
  return (
    <>
      <p className={styles.summary} aria-live="polite">
        Showing <strong>{list.orders.length}</strong> of <strong>{list.totalCount}</strong>{" "}
        {list.totalCount === 1 ? "work order" : "work orders"}
      </p>
      <WorkOrderTable list={list} gateNames={gateNames} manager={manager} />
      <WorkOrderMore list={list} />
    </>
  );
}

function WorkOrderTable({
  list,
  gateNames,
  manager,
}: {
  list: List;
  gateNames: Map<string, string>;
  manager: boolean;
}) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className="visually-hidden">Work orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Work order</th>
            <th scope="col">Product</th>
            <th scope="col" className={styles.number}>
              Planned
            </th>
            <th scope="col">Line</th>
            <th scope="col">Phases</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.orders.map((order) => (
            <WorkOrderItem
              key={order.id}
              order={order}
              gateNames={gateNames}
              manager={manager}
              onChanged={() => void list.refresh()}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The next page of work orders, the error reading it, or the end of the list. */
function WorkOrderMore({ list }: { list: List }) {
  return (
    <div className={styles.more}>
      {list.error && (
        <p className={styles.inlineError} role="alert">
          {describeError(list.error)}
        </p>
      )}
      {list.hasNextPage ? (
        <button
          type="button"
          className="button button-primary"
          onClick={() => void list.loadMore()}
          disabled={list.loadingMore}
        >
          {list.loadingMore ? "Loading…" : "Load more"}
        </button>
      ) : (
        <p className={styles.muted}>End of the list.</p>
      )}
    </div>
  );
}

function WorkOrderItem({
  order,
  gateNames,
  manager,
  onChanged,
}: {
  order: WorkOrderRow;
  gateNames: Map<string, string>;
  manager: boolean;
  onChanged(): void;
}) {
  return (
    <tr data-testid="work-order-row">
      <td data-label="Work order">
        <strong className={styles.code}>{order.number}</strong>
        <span className={styles.meta}>{formatDateTime(order.createdAt)}</span>
      </td>
      <td data-label="Product">
        {order.product.name}
        <span className={styles.meta}>{order.product.sku}</span>
      </td>
      <td data-label="Planned" className={styles.number}>
        {formatQuantity(order.plannedQuantity)} {order.product.uom}
      </td>
      <td data-label="Line">{order.line ? `${order.line.name} (${order.line.code})` : "—"}</td>
      <td data-label="Phases">
        <ol className={styles.phaseChips}>
          {order.phases.map((phase) => (
            <li key={phase.sequence}>
              {phase.sequence}. {phase.name}
              {phase.gateId && (
                <span className={styles.gateNote}>gate: {gateNames.get(phase.gateId) ?? "quality gate"}</span>
              )}
            </li>
          ))}
        </ol>
      </td>
      <td data-label="Status">
        <WorkOrderStatusBadge status={order.status} />
      </td>
      <td data-label="Actions" className={styles.actions}>
        <WorkOrderActions order={order} manager={manager} onChanged={onChanged} />
      </td>
    </tr>
  );
}

/** Releasing a work order and starting a run of it, each with its own retry key. */
function useWorkOrderActions(order: WorkOrderRow, onChanged: () => void) {
  const router = useRouter();
  const [release, doRelease] = useMutation(ReleaseWorkOrderMutation);
  const [start, doStart] = useMutation(StartRunMutation);
  const releaseKey = useAttemptKey();
  const startKey = useAttemptKey();
  const [error, setError] = useState<string | null>(null);

  async function onRelease() {
    setError(null);
    const result = await doRelease({ input: { workOrderId: order.id, idempotencyKey: releaseKey.current() } });
    if (result.error) return setError(describeError(result.error));
    releaseKey.renew();
    onChanged();
  }

  async function onStart() {
    setError(null);
    const result = await doStart({ input: { workOrderId: order.id, idempotencyKey: startKey.current() } });
    const run = result.data?.startRun.run;
    if (!run) return setError(result.error ? describeError(result.error) : "The run did not start. Try again.");
    startKey.renew();
    router.push(runHref(run.id));
  }

  return { releasing: release.fetching, starting: start.fetching, error, onRelease, onStart };
}

/** What can be done with a work order now; the API refuses what its state does not allow. */
function WorkOrderActions({ order, manager, onChanged }: { order: WorkOrderRow; manager: boolean; onChanged(): void }) {
  const { releasing, starting, error, onRelease, onStart } = useWorkOrderActions(order, onChanged);
  const active = order.runs.find((run) => run.status === "IN_PROGRESS");
  const earlier = order.runs.filter((run) => run !== active);

  return (
    <div className={styles.actionStack}>
      {active ? (
        <Link href={runHref(active.id)} className="button button-primary">
          Open run
        </Link>
      ) : (
        (order.status === "RELEASED" || order.status === "IN_PROGRESS") && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => void onStart()}
            disabled={starting}
            aria-label={`Start a run of ${order.number}`}
          >
            {starting ? "Starting…" : "Start run"}
          </button>
        )
      )}
      {manager && order.status === "PLANNED" && (
        <button
          type="button"
          className="button"
          onClick={() => void onRelease()}
          disabled={releasing}
          aria-label={`Release ${order.number} to the floor`}
        >
          {releasing ? "Releasing…" : "Release"}
        </button>
      )}
      {earlier.length > 0 && <EarlierRuns order={order} runs={earlier} />}
      {error && (
        <p className={styles.inlineError} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function EarlierRuns({ order, runs }: { order: WorkOrderRow; runs: WorkOrderRow["runs"] }) {
  return (
    <ul className={styles.runLinks} aria-label={`Earlier runs of ${order.number}`}>
      {runs.map((run) => (
        <li key={run.id}>
          <Link href={runHref(run.id)}>Run of {formatDateTime(run.startedAt)}</Link>{" "}
          <RunStatusBadge status={run.status} />
        </li>
      ))}
    </ul>
  );
}
