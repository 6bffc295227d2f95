"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useQuery } from "urql";
import { DecisionBadge, HoldBadge, LotStatusBadge, QualityStatusBadge } from "@/components/status-badge";
import type { GenealogyLotFragment, LotDetailQuery } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatDateTime, formatDecimal } from "@/lib/format";
import { LotDetailQuery as LotDetailDocument } from "./operations";
import { useLedger } from "./use-ledger";
import styles from "./lot-detail.module.css";

type Lot = NonNullable<LotDetailQuery["lot"]>;
type Hold = Lot["holds"][number];

const lotHref = (code: string) => `/lots/${encodeURIComponent(code)}`;

const REQUIREMENT: Record<string, string> = {
  INSPECTION: "incoming inspection (a PASS on the lot)",
  REJECTED: "a later PASS or a signed USE_AS_IS after its rejection",
  GATE: "a PASS at a gate of the run that made it",
};

/** One lot: what it is, where, what stops it, what was decided, where it came from and went, its ledger. */
export function LotDetailScreen({ code }: { code: string }) {
  const [{ data, fetching, error }, refresh] = useQuery({
    query: LotDetailDocument,
    variables: { code },
    requestPolicy: "cache-and-network",
  });
  if (error && !data)
    return (
      <div className={styles.statePanel} role="alert">
        <h1>Lot {code} could not be loaded</h1>
        <p>{describeError(error)}</p>
        <button type="button" className="button" onClick={() => refresh({ requestPolicy: "network-only" })}>
          Try again
        </button>
      </div>
    );
  if (fetching && !data)
    return (
      <div className={styles.statePanel} role="status" aria-busy="true">
        Loading lot {code}…
      </div>
    );
  const lot = data?.lot;
  if (!lot)
    return (
      <div className={styles.statePanel}>
        <h1>No lot {code}</h1>
        <p>Check the code on the label, or scan it again.</p>
        <Link href="/lots" className="button">
          Back to lots
        </Link>
      </div>
    );
  return <LotDetail lot={lot} />;
}

function LotDetail({ lot }: { lot: Lot }) {
  const activeHolds = lot.holds.filter((hold) => hold.active);
  return (
    <article className={styles.page} aria-labelledby="lot-title">
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href="/lots">Lots</Link> <span aria-hidden="true">›</span> {lot.code}
      </nav>
      <header className={styles.header}>
        <div>
          <h1 id="lot-title" className={styles.code}>
            {lot.code}
          </h1>
          <p className={styles.material}>
            {lot.material.name} <span className={styles.sku}>{lot.material.sku}</span>
          </p>
        </div>
        <div className={styles.headline}>
          <span className={styles.quantity}>
            {formatDecimal(lot.quantity)} <small>{lot.uom}</small>
          </span>
          <span className={styles.labelled}>
            <span className={styles.badgeLabel}>Stock</span>
            <LotStatusBadge status={lot.status} />
          </span>
          <span className={styles.labelled}>
            <span className={styles.badgeLabel}>Quality</span>
            <QualityStatusBadge status={lot.qualityStatus} />
          </span>
        </div>
      </header>

      {activeHolds.length > 0 && (
        <p className={styles.holdBanner} role="status">
          <strong>On hold:</strong> {activeHolds[0]!.reason}
          {activeHolds.length > 1 && ` (and ${activeHolds.length - 1} more)`} — it cannot be consumed or shipped until
          every hold is released.
        </p>
      )}
      {lot.awaitingRelease.length > 0 && (
        <p className={styles.pendingBanner} role="status">
          <strong>Awaiting release:</strong>{" "}
          {lot.awaitingRelease
            .map((r) =>
              r.kind === "GATE" && r.gate ? `a PASS at gate ${r.gate.name}` : (REQUIREMENT[r.kind] ?? r.kind),
            )
            .join("; ")}
          .
        </p>
      )}

      <div className={styles.grid}>
        <Card title="Facts">
          <dl className={styles.facts}>
            <Fact label="Location">{lot.location ? `${lot.location.name} (${lot.location.code})` : "—"}</Fact>
            <Fact label={lot.producedBy ? "Produced" : "Received"}>
              {formatDateTime(lot.createdAt)}
              {lot.producedBy && (
                <>
                  {" "}
                  by {lot.producedBy.operatorName}, work order {lot.producedBy.workOrder.number}
                </>
              )}
            </Fact>
            {lot.supplier && <Fact label="Supplier">{lot.supplier.name}</Fact>}
            {lot.supplierLotCode && (
              <Fact label="Supplier lot">
                <Link href={`/recall?supplierLotCode=${encodeURIComponent(lot.supplierLotCode)}`}>
                  {lot.supplierLotCode}
                </Link>
              </Fact>
            )}
            <Fact label="Expires">{lot.expiresAt ? formatDateTime(lot.expiresAt) : "—"}</Fact>
          </dl>
        </Card>

        <Card title="Genealogy">
          <GenealogyList title="Made from" lots={lot.parents} empty="Nothing: received from outside." />
          <GenealogyList title="Used in" lots={lot.children} empty="Not used in any lot yet." />
          <p className={styles.traceLinks}>
            <Link href={`/trace/${encodeURIComponent(lot.code)}`} className="button">
              Trace every level
            </Link>
            <Link href={`/recall?lot=${encodeURIComponent(lot.code)}`} className="button">
              Recall from this lot
            </Link>
          </p>
        </Card>

        <Card title={`Holds (${lot.holds.length})`} wide>
          {lot.holds.length === 0 ? (
            <p className={styles.muted}>This lot has never been held.</p>
          ) : (
            <ul className={styles.list}>
              {lot.holds.map((hold) => (
                <HoldItem key={hold.id} hold={hold} />
              ))}
            </ul>
          )}
        </Card>

        <Card title={`Decisions (${lot.decisions.length})`} wide>
          {lot.decisions.length === 0 ? (
            <p className={styles.muted}>No QC decision on this lot yet.</p>
          ) : (
            <ul className={styles.list}>
              {lot.decisions.map((decision) => (
                <li key={decision.id} className={styles.item}>
                  <div className={styles.itemHead}>
                    <DecisionBadge result={decision.result} />
                    <strong>{decision.gate.name}</strong>
                    <span className={styles.muted}>
                      {decision.decidedByName}, {formatDateTime(decision.decidedAt)}
                    </span>
                  </div>
                  {decision.notes && <p className={styles.note}>{decision.notes}</p>}
                  {decision.measurements.length > 0 && (
                    <table className={styles.measurements}>
                      <caption className="visually-hidden">Measurements at {decision.gate.name}</caption>
                      <thead>
                        <tr>
                          <th scope="col">Characteristic</th>
                          <th scope="col">Value</th>
                          <th scope="col">Limits</th>
                          <th scope="col">Result</th>
                        </tr>
                      </thead>
                      <tbody>
                        {decision.measurements.map((m) => (
                          <tr key={m.characteristic}>
                            <th scope="row">{m.characteristic}</th>
                            <td>{m.value}</td>
                            <td>
                              {m.lower} – {m.upper}
                            </td>
                            <td className={m.withinLimits ? styles.within : styles.outside}>
                              {m.withinLimits ? "✓ within" : "✕ outside"}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>

        {lot.serials.length > 0 && (
          <Card title={`Serials (${lot.serials.length})`} wide>
            <ul className={styles.serials}>
              {lot.serials.map((serial) => (
                <li key={serial.id}>
                  <code>{serial.serialNumber}</code> <span className={styles.muted}>{serial.status.toLowerCase()}</span>
                </li>
              ))}
            </ul>
          </Card>
        )}

        <Card title="Ledger" wide>
          <Ledger code={lot.code} first={lot.movements} />
        </Card>
      </div>
    </article>
  );
}

function Card({ title, wide, children }: { title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={wide ? `${styles.card} ${styles.wide}` : styles.card} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function GenealogyList({ title, lots, empty }: { title: string; lots: GenealogyLotFragment[]; empty: string }) {
  return (
    <div className={styles.genealogy}>
      <h3>{title}</h3>
      {lots.length === 0 ? (
        <p className={styles.muted}>{empty}</p>
      ) : (
        <ul>
          {lots.map((lot) => (
            <li key={lot.id}>
              <Link href={lotHref(lot.code)} className={styles.lotLink}>
                {lot.code}
              </Link>{" "}
              <span className={styles.muted}>
                {lot.material.name} · {formatDecimal(lot.quantity)} {lot.uom}
              </span>{" "}
              <LotStatusBadge status={lot.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Why a hold is on this lot: placed on it, inherited from an ancestor's hold, from a supplier lot or a decision. */
function HoldCause({ hold }: { hold: Hold }) {
  if (hold.cause?.lot)
    return (
      <p className={styles.cause}>
        Inherited from the hold on <Link href={lotHref(hold.cause.lot.code)}>{hold.cause.lot.code}</Link>:{" "}
        {hold.cause.reason}
      </p>
    );
  if (hold.supplierHold)
    return <p className={styles.cause}>Supplier lot {hold.supplierHold.supplierLotCode} is on hold.</p>;
  if (hold.decision)
    return (
      <p className={styles.cause}>
        Placed by a {hold.decision.result} at gate {hold.decision.gate.name}.
      </p>
    );
  return null;
}

function HoldItem({ hold }: { hold: Hold }) {
  return (
    <li className={styles.item} data-testid="hold-item">
      <div className={styles.itemHead}>
        <HoldBadge active={hold.active} />
        <strong>{hold.reason}</strong>
      </div>
      <p className={styles.muted}>
        Placed by {hold.placedByName}, {formatDateTime(hold.placedAt)}
      </p>
      <HoldCause hold={hold} />
      {hold.releasedAt && (
        <p className={styles.release}>
          Released by {hold.releasedByName}, {formatDateTime(hold.releasedAt)}
          {hold.releaseReason && <>: {hold.releaseReason}</>}
          {hold.signature && (
            <span className={styles.signature}>
              Signed by {hold.signature.signerName} — “{hold.signature.meaning}” —{" "}
              {formatDateTime(hold.signature.signedAt)}
            </span>
          )}
        </p>
      )}
    </li>
  );
}

const MOVEMENT_LABEL: Record<string, string> = {
  RECEIPT: "Received",
  PRODUCTION: "Produced",
  CONSUMPTION: "Consumed",
  SHIPMENT: "Shipped",
  ADJUSTMENT: "Adjusted",
  TRANSFER: "Moved",
  SCRAP: "Scrapped",
};

function Ledger({ code, first }: { code: string; first: Lot["movements"] }) {
  const ledger = useLedger(code, first);
  if (ledger.movements.length === 0) return <p className={styles.muted}>No movement yet.</p>;
  return (
    <>
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <caption className="visually-hidden">Stock movements of lot {code}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Movement</th>
              <th scope="col" className={styles.number}>
                Quantity
              </th>
              <th scope="col" className={styles.number}>
                Balance
              </th>
              <th scope="col">Who</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {ledger.movements.map((movement) => (
              <tr key={movement.id} data-testid="movement-row">
                <td data-label="When">{formatDateTime(movement.createdAt)}</td>
                <td data-label="Movement">{MOVEMENT_LABEL[movement.kind] ?? movement.kind}</td>
                <td data-label="Quantity" className={styles.number}>
                  {formatDecimal(movement.quantity)}
                </td>
                <td data-label="Balance" className={styles.number}>
                  {formatDecimal(movement.balance)}
                </td>
                <td data-label="Who">{movement.actorName}</td>
                <td data-label="Reason">{movement.reason ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={styles.more}>
        <span className={styles.muted}>
          {ledger.movements.length} of {ledger.totalCount} movements
        </span>
        {ledger.error && (
          <span role="alert" className={styles.outside}>
            {describeError(ledger.error)}
          </span>
        )}
        {ledger.hasNextPage && (
          <button type="button" className="button" onClick={() => void ledger.loadMore()} disabled={ledger.loading}>
            {ledger.loading ? "Loading…" : "Load more"}
          </button>
        )}
      </div>
    </>
  );
}
