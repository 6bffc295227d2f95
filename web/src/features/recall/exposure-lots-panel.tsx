"use client";

import Link from "next/link";
import { useQuery } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { useShownRows } from "@/components/show-more";
import { LotStatusBadge } from "@/components/status-badge";
import type { RecallExposureLotsQuery as ExposureData } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { RecallExposureLotsQuery } from "./operations";
import type { RecallCase } from "./recall-case-screen";
import { fractionText, quantityText } from "./recall-format";
import styles from "./recall.module.css";

type LotExposure = NonNullable<ExposureData["recallCase"]>["exposure"]["lots"][number];

const PAGE = 100;

/** How much of the source is in each affected lot: its share, and that share of what was made. */
export function ExposureLotsPanel({ recallCase }: { recallCase: RecallCase }) {
  const [result] = useQuery({
    query: RecallExposureLotsQuery,
    variables: { id: recallCase.id },
    requestPolicy: "cache-and-network",
  });
  const lots = result.data?.recallCase?.exposure.lots;
  if (result.error && !lots)
    return (
      <p className={styles.panelState} role="alert">
        The exposure could not be read. {describeError(result.error)}
      </p>
    );
  if (!lots)
    return (
      <p className={styles.panelState} role="status">
        Working out how much of the source is in each lot…
      </p>
    );
  return (
    <div className={styles.stack}>
      <p className={styles.panelIntro}>
        Each run passes its inputs on by the share each had of what it consumed: 30 kg of the source with 70 kg of
        something else makes every output 30 % source. Inputs counted in another unit take no share.
      </p>
      {lots.length === 0 ? (
        <p className={styles.panelState}>No lot holds any of the source.</p>
      ) : (
        <ExposureTable lots={lots} />
      )}
    </div>
  );
}

function ExposureTable({ lots }: { lots: readonly LotExposure[] }) {
  const rows = useShownRows(lots, PAGE);
  return (
    <>
      <div className={tableStyles.tableWrap}>
        <table className={tableStyles.table}>
          <caption className="visually-hidden">Exposure by lot, the source first</caption>
          <thead>
            <tr>
              <th scope="col">Lot</th>
              <th scope="col">Material</th>
              <th scope="col" className={styles.num}>
                Runs from source
              </th>
              <th scope="col" className={styles.num}>
                Share of source
              </th>
              <th scope="col" className={styles.num}>
                Source in it
              </th>
              <th scope="col" className={styles.num}>
                Lot made
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.visible.map((entry) => (
              <tr key={entry.lot.id} data-testid="exposure-lot">
                <th scope="row">
                  <Link href={`/lots/${encodeURIComponent(entry.lot.code)}`}>{entry.lot.code}</Link>
                </th>
                <td>{entry.lot.material.name}</td>
                <td className={styles.num}>{entry.depth === 0 ? "Source" : entry.depth}</td>
                <td className={styles.num}>
                  <ShareBar fraction={entry.fraction} />
                </td>
                <td className={styles.num}>{quantityText(entry.quantityOfSource, entry.uom)}</td>
                <td className={styles.num}>{quantityText(entry.quantity, entry.uom)}</td>
                <td>
                  <LotStatusBadge status={entry.lot.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {lots.length > PAGE && rows.footer}
    </>
  );
}

/** The share as a number, with a bar behind it so the most exposed lots stand out down the column. */
function ShareBar({ fraction }: { fraction: string }) {
  const width = Math.min(100, Math.max(0, Number(fraction) * 100));
  return (
    <span className={styles.share}>
      <span className={styles.shareBar} style={{ width: `${width}%` }} aria-hidden="true" />
      <span className={styles.shareText}>{fractionText(fraction)}</span>
    </span>
  );
}
