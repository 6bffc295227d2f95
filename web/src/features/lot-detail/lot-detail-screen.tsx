"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useQuery } from "urql";
import { LotStatusBadge } from "@/components/status-badge";
import type { GenealogyLotFragment } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatDateTime, formatDecimal } from "@/lib/format";
import { DecisionList } from "./lot-decisions";
import { LotBanners, LotHeader } from "./lot-header";
import { HoldList } from "./lot-holds";
import { Ledger } from "./lot-ledger";
import { lotHref, type Lot } from "./lot-types";
import { LotDetailQuery as LotDetailDocument } from "./operations";
import styles from "./lot-detail.module.css";

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
  return (
    <article className={styles.page} aria-labelledby="lot-title">
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href="/lots">Lots</Link> <span aria-hidden="true">›</span> {lot.code}
      </nav>
      <LotHeader lot={lot} />

      <LotBanners lot={lot} />

      <div className={styles.grid}>
        <FactsCard lot={lot} />
        <GenealogyCard lot={lot} />

        <Card title={`Holds (${lot.holds.length})`} wide>
          <HoldList holds={lot.holds} />
        </Card>

        <Card title={`Decisions (${lot.decisions.length})`} wide>
          <DecisionList decisions={lot.decisions} />
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

function FactsCard({ lot }: { lot: Lot }) {
  return (
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
  );
}

function GenealogyCard({ lot }: { lot: Lot }) {
  return (
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
