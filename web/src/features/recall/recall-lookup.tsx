"use client";

import Link from "next/link";
import { useMemo } from "react";
import { useQuery } from "urql";
import pageStyles from "@/components/page.module.css";
import tableStyles from "@/components/data-table.module.css";
import { useShownRows } from "@/components/show-more";
import { LotStatusBadge, QualityStatusBadge } from "@/components/status-badge";
import { useMe } from "@/features/auth/use-me";
import { TraceExports } from "@/features/trace/trace-exports";
import type { RecallLotFragment, RecallQuery as RecallData } from "@/gql/graphql";
import { describeError, errorCode } from "@/lib/errors";
import { formatDateTime, formatDecimal } from "@/lib/format";
import { grants } from "@/lib/roles";
import { RecallLotQuery, RecallQuery } from "./operations";
import styles from "./recall.module.css";

const PAGE = 100;

/**
 * The quick look-up, without opening a case: everything a lot or a supplier lot code reached
 * (`/recall?lot=` or `?supplierLotCode=`). A manager opens a case from it.
 */
export function RecallLookup({ lotCode, supplierLotCode }: { lotCode: string | null; supplierLotCode: string | null }) {
  return lotCode ? <RecallFromLot code={lotCode} /> : <Recall supplierLotCode={supplierLotCode ?? ""} />;
}

function RecallFromLot({ code }: { code: string }) {
  const [{ data, fetching, error }] = useQuery({ query: RecallLotQuery, variables: { code } });
  if (fetching && !data)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (error) return <Failure message={describeError(error)} />;
  if (!data?.lot)
    return <Failure title={`No lot ${code}`} message="No lot has this code. Check the label, or search again." />;
  return <Recall lot={data.lot} />;
}

function Failure({ title = "Recall", message }: { title?: string; message: string }) {
  return (
    <div className={pageStyles.statePanel} role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
      <Link href="/trace" className="button">
        Search again
      </Link>
    </div>
  );
}

function Recall({ lot, supplierLotCode }: { lot?: { id: string; code: string }; supplierLotCode?: string }) {
  const [{ data, fetching, error }] = useQuery({
    query: RecallQuery,
    variables: lot ? { lotId: lot.id } : { supplierLotCode },
  });
  const title = lot ? `Recall from lot ${lot.code}` : `Recall of supplier lot ${supplierLotCode}`;
  if (fetching && !data)
    return (
      <div className="page-status" role="status">
        Finding everything it reached…
      </div>
    );
  if (error)
    return (
      <Failure
        title={title}
        message={
          errorCode(error) === "NOT_FOUND" && supplierLotCode
            ? `No lot was received under the supplier lot code ${supplierLotCode}.`
            : describeError(error)
        }
      />
    );
  if (!data) return null;
  return <RecallReport title={title} recall={data.recall} lot={lot} supplierLotCode={supplierLotCode} />;
}

function RecallReport({
  title,
  recall,
  lot,
  supplierLotCode,
}: {
  title: string;
  recall: RecallData["recall"];
  lot?: { id: string; code: string } | undefined;
  supplierLotCode?: string | undefined;
}) {
  const { me } = useMe();
  const onHandIds = useMemo(() => new Set(recall.onHand.map((l) => l.id)), [recall.onHand]);
  const affected = recall.affectedLots;
  const onHand = affected.filter((l) => onHandIds.has(l.id));
  const affectedIds = new Set(affected.map((l) => l.id));
  // The lots the recall starts from: the lot itself, or every receipt under the supplier's code.
  const starts = lot ? [lot] : affected.filter((l) => l.supplierLotCode === supplierLotCode);

  return (
    <>
      <div className={pageStyles.toolbar}>
        <div>
          <p className={pageStyles.breadcrumb}>
            <Link href="/recall">Recalls</Link> › Look-up
          </p>
          <h1 className={pageStyles.title}>{title}</h1>
          <p className={pageStyles.lede}>
            Every lot made from it, at every level, where the stock is now, and who received it. Nothing is held and no
            case is opened until a manager opens one.
          </p>
        </div>
        {me && grants(me.roles, ["MANAGER"]) && (
          <div className={styles.toolbarActions}>
            <Link href={openHref(lot, supplierLotCode, true)} className="button">
              Run a drill from it
            </Link>
            <Link href={openHref(lot, supplierLotCode, false)} className="button button-primary">
              Open a recall case…
            </Link>
          </div>
        )}
      </div>
      <RecallFigures recall={recall} onHand={onHand.length} />

      {me && grants(me.roles, ["AUDITOR", "MANAGER"]) && <RecallFiles starts={starts} />}

      <ShipmentsTable shipments={recall.shipments} affectedIds={affectedIds} />
      <LotsTable
        id="recall-on-hand"
        title="On hand"
        empty="Nothing affected is left in stock."
        lots={onHand}
        showLocation
      />
      <LotsTable id="recall-affected" title="Affected lots" empty="No lot is affected." lots={affected} />
    </>
  );
}

/** The open form, filled in with what this look-up is of. */
function openHref(lot: { code: string } | undefined, supplierLotCode: string | undefined, drill: boolean): string {
  const params = new URLSearchParams(lot ? { lot: lot.code } : { supplierLotCode: supplierLotCode ?? "" });
  if (drill) params.set("drill", "1");
  return `/recall/open?${params.toString()}`;
}

/** The recall in four numbers: lots affected, finished goods, still on hand, and shipped to whom. */
function RecallFigures({ recall, onHand }: { recall: RecallData["recall"]; onHand: number }) {
  const finishedIds = useMemo(() => new Set(recall.finishedLots.map((l) => l.id)), [recall.finishedLots]);
  const affected = recall.affectedLots;
  const customers = new Set(recall.shipments.map((s) => s.customer.name));
  return (
    <ul className={styles.figures} aria-label="Recall summary">
      <li>
        <strong>{affected.length}</strong> affected lots
      </li>
      <li>
        <strong>{finishedIds.size}</strong> finished goods lots
      </li>
      <li className={onHand ? styles.figureWarn : undefined}>
        <strong>{onHand}</strong> lots still on hand
      </li>
      <li className={recall.shipments.length ? styles.figureDanger : undefined}>
        <strong>{recall.shipments.length}</strong> shipments to <strong>{customers.size}</strong>{" "}
        {customers.size === 1 ? "customer" : "customers"}
      </li>
    </ul>
  );
}

/** The FSMA 204 and EPCIS files downstream of each lot the recall starts from. */
function RecallFiles({ starts }: { starts: Array<{ id: string; code: string }> }) {
  return (
    <section className={styles.section} aria-labelledby="recall-files">
      <h2 id="recall-files">Files for the authorities</h2>
      {starts.map((start) => (
        <div key={start.id} className={styles.fileRow}>
          <span>
            From lot <Link href={`/trace/${encodeURIComponent(start.code)}?direction=downstream`}>{start.code}</Link>
          </span>
          <TraceExports lotId={start.id} code={start.code} direction="DOWNSTREAM" />
        </div>
      ))}
    </section>
  );
}

function ShipmentsTable({
  shipments,
  affectedIds,
}: {
  shipments: RecallData["recall"]["shipments"];
  affectedIds: Set<string>;
}) {
  return (
    <section className={styles.section} aria-labelledby="recall-shipped">
      <h2 id="recall-shipped">Shipped</h2>
      {shipments.length === 0 ? (
        <p className={styles.empty}>No affected lot has been shipped.</p>
      ) : (
        <div className={tableStyles.tableWrap}>
          <table className={tableStyles.table}>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Shipment</th>
                <th scope="col">Shipped</th>
                <th scope="col">Affected lots in it</th>
              </tr>
            </thead>
            <tbody>
              {shipments.map((shipment) => (
                <tr key={shipment.id}>
                  <th scope="row">{shipment.customer.name}</th>
                  <td>{shipment.reference}</td>
                  <td>{formatDateTime(shipment.shippedAt)}</td>
                  <td>
                    {shipment.lines
                      .filter((line) => affectedIds.has(line.lot.id))
                      .map((line) => (
                        <span key={line.lot.id} className={styles.shipLine}>
                          <Link href={`/lots/${encodeURIComponent(line.lot.code)}`}>{line.lot.code}</Link>:{" "}
                          {formatDecimal(line.quantity)} {line.lot.uom}
                        </span>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LotsTable({
  id,
  title,
  empty,
  lots,
  showLocation = false,
}: {
  id: string;
  title: string;
  empty: string;
  lots: RecallLotFragment[];
  showLocation?: boolean;
}) {
  const rows = useShownRows(lots, PAGE);
  return (
    <section className={styles.section} aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className={styles.count}>({lots.length})</span>
      </h2>
      {lots.length === 0 ? (
        <p className={styles.empty}>{empty}</p>
      ) : (
        <>
          <div className={tableStyles.tableWrap}>
            <table className={tableStyles.table}>
              <thead>
                <tr>
                  <th scope="col">Lot</th>
                  <th scope="col">Material</th>
                  <th scope="col" className={styles.num}>
                    Quantity
                  </th>
                  {showLocation && <th scope="col">Location</th>}
                  <th scope="col">Status</th>
                  <th scope="col">Quality</th>
                </tr>
              </thead>
              <tbody>
                {rows.visible.map((lot) => (
                  <RecallLotRow key={lot.id} lot={lot} showLocation={showLocation} />
                ))}
              </tbody>
            </table>
          </div>
          {lots.length > PAGE && rows.footer}
        </>
      )}
    </section>
  );
}

function RecallLotRow({ lot, showLocation }: { lot: RecallLotFragment; showLocation: boolean }) {
  return (
    <tr>
      <th scope="row">
        <Link href={`/lots/${encodeURIComponent(lot.code)}`}>{lot.code}</Link>
      </th>
      <td>{lot.material.name}</td>
      <td className={styles.num}>
        {formatDecimal(lot.quantity)} {lot.uom}
      </td>
      {showLocation && <td>{lot.location ? `${lot.location.name} (${lot.location.code})` : "—"}</td>}
      <td>
        <LotStatusBadge status={lot.status} />
      </td>
      <td>
        <QualityStatusBadge status={lot.qualityStatus} />
      </td>
    </tr>
  );
}
