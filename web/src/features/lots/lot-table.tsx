import Link from "next/link";
import { LotStatusBadge, QualityStatusBadge } from "@/components/status-badge";
import { formatDateTime, formatDecimal } from "@/lib/format";
import type { LotNode } from "./use-lot-list";
import styles from "./lots.module.css";

function ParentCodes({ parents }: { parents: LotNode["parents"] }) {
  if (parents.length === 0) return <span className={styles.muted}>None</span>;
  return (
    <ul className={styles.parents}>
      {parents.map((parent) => (
        <li key={parent.id} className={styles.parentChip}>
          {parent.code}
        </li>
      ))}
    </ul>
  );
}

function LotRow({ lot, changedLive }: { lot: LotNode; changedLive: boolean }) {
  return (
    <tr data-testid="lot-row" className={changedLive ? styles.changedLive : undefined}>
      <th scope="row" data-label="Lot" className={styles.code}>
        <Link href={`/lots/${encodeURIComponent(lot.code)}`}>{lot.code}</Link>
      </th>
      <td data-label="Material" className={styles.material}>
        <span className={styles.sku}>{lot.material.sku}</span>
        <span className={styles.materialName}>{lot.material.name}</span>
      </td>
      <td data-label="Quantity" className={styles.quantity}>
        {formatDecimal(lot.quantity)} <span className={styles.uom}>{lot.uom}</span>
      </td>
      <td data-label="Status">
        <LotStatusBadge status={lot.status} />
      </td>
      <td data-label="Quality">
        <QualityStatusBadge status={lot.qualityStatus} />
      </td>
      <td data-label="Parents">
        <ParentCodes parents={lot.parents} />
      </td>
      <td data-label={lot.producedBy ? "Produced" : "Received"}>
        <span className={styles.origin}>{lot.producedBy ? "Produced" : "Received"}</span>
        <time dateTime={lot.createdAt} className={styles.time}>
          {formatDateTime(lot.createdAt)}
        </time>
      </td>
    </tr>
  );
}

/**
 * `liveVersions` marks rows a live update changed; a row is re-mounted on each change so its
 * highlight plays again.
 */
export function LotTable({ lots, liveVersions }: { lots: LotNode[]; liveVersions: Map<string, number> }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className="visually-hidden">Lots</caption>
        <thead>
          <tr>
            <th scope="col">Lot</th>
            <th scope="col">Material</th>
            <th scope="col" className={styles.quantityHead}>
              Quantity
            </th>
            <th scope="col">Status</th>
            <th scope="col">Quality</th>
            <th scope="col">Parents</th>
            <th scope="col">Received / made</th>
          </tr>
        </thead>
        <tbody>
          {lots.map((lot) => {
            const version = liveVersions.get(lot.id);
            return <LotRow key={`${lot.id}:${version ?? 0}`} lot={lot} changedLive={version !== undefined} />;
          })}
        </tbody>
      </table>
    </div>
  );
}
