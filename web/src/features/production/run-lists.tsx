"use client";

import Link from "next/link";
import { useState } from "react";
import { LotLabelDialog, type LabelLot } from "@/components/lot-label";
import { LotStatusBadge } from "@/components/status-badge";
import { formatDateTime } from "@/lib/format";
import { formatQuantity } from "./quantity";
import type { Run } from "./use-run";
import styles from "./run-console.module.css";

const lotHref = (code: string) => `/lots/${encodeURIComponent(code)}`;

/** What went into the run and what came out of it, newest last, as the API recorded it. */
export function RunLists({ run }: { run: Run }) {
  return (
    <div className={styles.lists}>
      <ConsumedList run={run} />
      <OutputList run={run} />
    </div>
  );
}

function ConsumedList({ run }: { run: Run }) {
  return (
    <section className={styles.card} aria-labelledby="consumed-title">
      <h2 id="consumed-title">
        Consumed <span className={styles.count}>{run.consumptions.length}</span>
      </h2>
      {run.consumptions.length === 0 ? (
        <p className={styles.muted}>Nothing consumed yet: scan the first lot.</p>
      ) : (
        <ul className={styles.records}>
          {run.consumptions.map((consumption) => (
            <li key={consumption.id} data-testid="consumption">
              <Link href={lotHref(consumption.lot.code)} className={styles.lotCode}>
                {consumption.lot.code}
              </Link>
              <span className={styles.recordWhat}>{consumption.lot.material.name}</span>
              <strong className={styles.recordQuantity}>
                {formatQuantity(consumption.quantity)} {consumption.lot.uom}
              </strong>
              <span className={styles.meta}>
                {consumption.operatorName}, {formatDateTime(consumption.consumedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The lots made, each with a button that opens its label to print. */
function OutputList({ run }: { run: Run }) {
  const [label, setLabel] = useState<LabelLot | null>(null);
  return (
    <>
      <section className={styles.card} aria-labelledby="outputs-title">
        <h2 id="outputs-title">
          Output <span className={styles.count}>{run.outputs.length}</span>
        </h2>
        {run.outputs.length === 0 ? (
          <p className={styles.muted}>No output recorded yet.</p>
        ) : (
          <ul className={styles.records}>
            {run.outputs.map((output) => (
              <OutputItem key={output.id} output={output} onLabel={setLabel} />
            ))}
          </ul>
        )}
      </section>
      {label && <LotLabelDialog lot={label} onClose={() => setLabel(null)} />}
    </>
  );
}

function OutputItem({ output, onLabel }: { output: Run["outputs"][number]; onLabel(lot: LabelLot): void }) {
  return (
    <li data-testid="output">
      <Link href={lotHref(output.lot.code)} className={styles.lotCode}>
        {output.lot.code}
      </Link>
      <span className={styles.recordWhat}>
        {output.lot.material.name} <LotStatusBadge status={output.lot.status} />
      </span>
      <strong className={styles.recordQuantity}>
        {formatQuantity(output.quantity)} {output.lot.uom}
      </strong>
      <span className={styles.meta}>
        {output.operatorName}, {formatDateTime(output.recordedAt)}
        {output.lot.location && ` · ${output.lot.location.name}`}
        {output.serials.length > 0 && ` · serials ${output.serials.map((s) => s.serialNumber).join(", ")}`}
      </span>
      <button
        type="button"
        className={`button ${styles.labelButton}`}
        onClick={() =>
          onLabel({
            code: output.lot.code,
            materialName: output.lot.material.name,
            sku: output.lot.material.sku,
            quantity: output.quantity,
            uom: output.lot.uom,
            date: output.lot.createdAt,
          })
        }
        aria-label={`Print the label of lot ${output.lot.code}`}
      >
        Print label
      </button>
    </li>
  );
}
