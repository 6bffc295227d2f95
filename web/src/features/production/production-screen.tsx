"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery } from "urql";
import { useMe } from "@/features/auth/use-me";
import type { WorkOrderFilter, WorkOrderStatus } from "@/gql/graphql";
import { grants } from "@/lib/roles";
import { ProductionReferenceQuery } from "./operations";
import { useWorkOrders } from "./use-work-orders";
import { WorkOrderForm } from "./work-order-form";
import { WorkOrderList } from "./work-order-list";
import styles from "./production.module.css";

const OPEN: WorkOrderStatus[] = ["PLANNED", "RELEASED", "IN_PROGRESS"];

const STATUS_CHOICES: ReadonlyArray<{ value: string; label: string; statuses?: WorkOrderStatus[] }> = [
  { value: "open", label: "Open work orders", statuses: OPEN },
  { value: "RELEASED", label: "Released: ready to start", statuses: ["RELEASED"] },
  { value: "IN_PROGRESS", label: "In progress", statuses: ["IN_PROGRESS"] },
  { value: "PLANNED", label: "Planned", statuses: ["PLANNED"] },
  { value: "COMPLETED", label: "Completed", statuses: ["COMPLETED"] },
  { value: "CANCELLED", label: "Cancelled", statuses: ["CANCELLED"] },
  { value: "all", label: "All statuses" },
];

/** Production (OPERATOR): the work orders to run, and for managers, planning and releasing them. */
export function ProductionScreen() {
  const { me, loading } = useMe();
  if (loading)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (!me || !grants(me.roles, ["OPERATOR"]))
    return (
      <div className={styles.statePanel}>
        <h1>Production</h1>
        <p>Production is for operators and managers. Ask an administrator for the OPERATOR role.</p>
        <Link href="/" className="button">
          Go to the floor
        </Link>
      </div>
    );
  return <WorkOrders manager={grants(me.roles, ["MANAGER"])} />;
}

function WorkOrders({ manager }: { manager: boolean }) {
  const [status, setStatus] = useState("open");
  const [lineId, setLineId] = useState("");
  const [planning, setPlanning] = useState(false);
  const [{ data: reference }] = useQuery({ query: ProductionReferenceQuery });
  const statuses = STATUS_CHOICES.find((choice) => choice.value === status)?.statuses;
  const filter: WorkOrderFilter = { ...(statuses ? { status: statuses } : {}), ...(lineId ? { lineId } : {}) };
  const list = useWorkOrders(filter);
  const lines = reference?.lines ?? [];
  const gates = reference?.qcGates ?? [];

  return (
    <>
      <div className={styles.toolbar}>
        <div>
          <h1 className={styles.title}>Production</h1>
          <p className={styles.lede}>Pick a work order, start its run, and record what goes in and comes out.</p>
        </div>
        {manager && !planning && (
          <button type="button" className="button button-primary" onClick={() => setPlanning(true)}>
            + New work order
          </button>
        )}
      </div>
      {manager && planning && (
        <WorkOrderForm
          lines={lines}
          gates={gates}
          onCancel={() => setPlanning(false)}
          onCreated={() => {
            setPlanning(false);
            void list.refresh();
          }}
        />
      )}
      <WorkOrderFilters status={status} onStatus={setStatus} lineId={lineId} onLine={setLineId} lines={lines} />
      <WorkOrderList
        list={list}
        gateNames={new Map(gates.map((gate) => [gate.id, gate.name]))}
        manager={manager}
        filtered={status !== "all" || lineId !== ""}
      />
    </>
  );
}

/** Narrows the list by status and by line. */
function WorkOrderFilters({
  status,
  onStatus,
  lineId,
  onLine,
  lines,
}: {
  status: string;
  onStatus(status: string): void;
  lineId: string;
  onLine(lineId: string): void;
  lines: ReadonlyArray<{ id: string; name: string; code: string }>;
}) {
  return (
    <form className={styles.filters} aria-label="Filter work orders" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select className="input" value={status} onChange={(e) => onStatus(e.target.value)}>
          {STATUS_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Line
        <select className="input" value={lineId} onChange={(e) => onLine(e.target.value)}>
          <option value="">All lines</option>
          {lines.map((line) => (
            <option key={line.id} value={line.id}>
              {line.name} ({line.code})
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
