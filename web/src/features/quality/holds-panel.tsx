"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation } from "urql";
import { SignatureDialog, signatureProblem } from "@/components/signature-dialog";
import type { OpenHoldsQuery, OpenSupplierHoldsQuery } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { lotHref } from "./format-limits";
import { ListFooter, ListState } from "@/components/list-footer";
import { OpenNonConformanceDialog } from "./open-non-conformance-dialog";
import {
  OpenHoldsQuery as OpenHolds,
  OpenSupplierHoldsQuery as OpenSupplierHolds,
  ReleaseHoldMutation,
  ReleaseSupplierHoldMutation,
} from "./operations";
import { PlaceHold } from "./place-hold";
import { problemOf } from "@/lib/problem";
import { usePaged } from "@/lib/use-paged";
import styles from "./quality.module.css";

type Hold = OpenHoldsQuery["holds"]["edges"][number]["node"];
type SupplierHold = OpenSupplierHoldsQuery["supplierHolds"]["edges"][number]["node"];

const PAGE_SIZE = 20;

/** Place a hold (managers), and the holds that stand, each released with a signature. */
export function HoldsPanel({
  manager,
  revision,
  onChanged,
}: {
  manager: boolean;
  revision: number;
  /** Told of every hold placed or released here, so counts elsewhere on the page follow at once. */
  onChanged(): void;
}) {
  const [notice, setNoticeOnly] = useState<string | null>(null);
  const setNotice = (message: string | null) => {
    setNoticeOnly(message);
    if (message) onChanged();
  };
  // Closed until asked for: the holds that stand are what a manager comes to see first.
  const [placing, setPlacing] = useState(false);
  // A supplier hold on a code with no lot yet holds nothing, so no live event says it was placed.
  const [placed, setPlaced] = useState(0);
  const onPlaced = (message: string) => {
    setNotice(message);
    setPlaced((n) => n + 1);
  };
  return (
    <div className={styles.stack}>
      {manager && (
        <div className={styles.panelActions}>
          <button
            type="button"
            className={placing ? "button" : "button button-primary"}
            aria-expanded={placing}
            aria-controls="place-hold"
            onClick={() => setPlacing((open) => !open)}
          >
            {placing ? "Hide the hold form" : "Place a hold…"}
          </button>
        </div>
      )}
      {notice && (
        <p className={styles.success} role="status">
          {notice}
        </p>
      )}
      {manager && placing && <PlaceHold onPlaced={onPlaced} />}
      <OpenHoldList manager={manager} revision={revision + placed} onNotice={setNotice} />
      <SupplierHoldList manager={manager} revision={revision + placed} onNotice={setNotice} />
    </div>
  );
}

function OpenHoldList({
  manager,
  revision,
  onNotice,
}: {
  manager: boolean;
  revision: number;
  onNotice(message: string): void;
}) {
  const holds = usePaged(OpenHolds, {}, (data) => data.holds, { pageSize: PAGE_SIZE, revision });
  const [releasing, setReleasing] = useState<Hold | null>(null);
  const [opening, setOpening] = useState<Hold | null>(null);
  const [, release] = useMutation(ReleaseHoldMutation);
  return (
    <section className={styles.card} aria-labelledby="open-holds-title">
      <h2 id="open-holds-title" className={styles.cardTitle}>
        Open holds
      </h2>
      <ListState list={holds} what="the holds" empty="No lot is on hold." />
      {holds.items.length > 0 && (
        <>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <caption className="visually-hidden">Lots on hold, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Lot</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Placed</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {holds.items.map((hold) => (
                  <tr key={hold.id} data-testid="open-hold">
                    <td data-label="Lot">
                      <Link href={lotHref(hold.lot.code)} className={styles.lotLink}>
                        {hold.lot.code}
                      </Link>
                      <span className={styles.sub}>{hold.lot.material.name}</span>
                    </td>
                    <td data-label="Reason">
                      {hold.reason}
                      <HoldOrigin hold={hold} />
                    </td>
                    <td data-label="Placed">
                      {hold.placedByName}
                      <span className={styles.sub}>{formatDateTime(hold.placedAt)}</span>
                    </td>
                    <td className={styles.rowActions}>
                      <button type="button" className={`button ${styles.smallButton}`} onClick={() => setOpening(hold)}>
                        Open nonconformance
                      </button>
                      {manager && (
                        <button
                          type="button"
                          className={`button ${styles.smallButton}`}
                          onClick={() => setReleasing(hold)}
                          aria-label={`Release the hold on ${hold.lot.code}`}
                        >
                          Release…
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter list={holds} noun="holds" />
        </>
      )}
      {releasing && (
        <SignatureDialog
          title={`Release the hold on ${releasing.lot.code}`}
          summary={
            <p>
              <strong>{releasing.reason}</strong> — placed by {releasing.placedByName},{" "}
              {formatDateTime(releasing.placedAt)}.{!releasing.cause && " Every lot held with it is released too."}
            </p>
          }
          meaning="approved for release"
          submitLabel="Sign and release"
          onClose={() => setReleasing(null)}
          onSign={async (signature, form) => {
            const result = await release({
              input: { holdId: releasing.id, reason: String(form.get("reason") ?? "").trim(), signature },
            });
            if (result.error) return signatureProblem(result.error, problemOf);
            const count = result.data?.releaseHold.released.length ?? 1;
            onNotice(
              `Hold on ${releasing.lot.code} released${count > 1 ? ` with ${count - 1} more held with it` : ""}.`,
            );
            void holds.reload();
            return null;
          }}
        >
          <label>
            Why it may be released
            <textarea name="reason" className="input" rows={2} required maxLength={2000} />
          </label>
        </SignatureDialog>
      )}
      {opening && (
        <OpenNonConformanceDialog
          source={{ holdId: opening.id }}
          summary={
            <p>
              Hold on lot <strong>{opening.lot.code}</strong>: {opening.reason}
            </p>
          }
          onClose={() => setOpening(null)}
          onOpened={(number) => onNotice(`${number} opened: it is in the nonconformance register.`)}
        />
      )}
    </section>
  );
}

/** Where a hold came from, when not placed on the lot by hand. */
function HoldOrigin({ hold }: { hold: Hold }) {
  const origin = hold.supplierHold
    ? `Supplier lot ${hold.supplierHold.supplierLotCode} on hold`
    : hold.cause?.lot
      ? `With the hold on ${hold.cause.lot.code}`
      : hold.decision
        ? `${hold.decision.result} at ${hold.decision.gate.name}`
        : null;
  return origin ? <span className={styles.sub}>{origin}</span> : null;
}

function SupplierHoldList({
  manager,
  revision,
  onNotice,
}: {
  manager: boolean;
  revision: number;
  onNotice(message: string): void;
}) {
  const holds = usePaged(OpenSupplierHolds, {}, (data) => data.supplierHolds, { pageSize: PAGE_SIZE, revision });
  const [releasing, setReleasing] = useState<SupplierHold | null>(null);
  const [, release] = useMutation(ReleaseSupplierHoldMutation);
  return (
    <section className={styles.card} aria-labelledby="supplier-holds-title">
      <h2 id="supplier-holds-title" className={styles.cardTitle}>
        Supplier lots on hold
      </h2>
      <ListState list={holds} what="the supplier holds" empty="No supplier lot is on hold." />
      {holds.items.length > 0 && (
        <>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <caption className="visually-hidden">Supplier lot codes on hold, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Supplier lot</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Lots held</th>
                  <th scope="col">Placed</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {holds.items.map((hold) => (
                  <tr key={hold.id} data-testid="supplier-hold">
                    <td data-label="Supplier lot">
                      <code className={styles.code}>{hold.supplierLotCode}</code>
                      <span className={styles.sub}>{hold.supplier.name}</span>
                    </td>
                    <td data-label="Reason">{hold.reason}</td>
                    <td data-label="Lots held" className={styles.number}>
                      {hold.holds.length}
                    </td>
                    <td data-label="Placed">
                      {hold.placedByName}
                      <span className={styles.sub}>{formatDateTime(hold.placedAt)}</span>
                    </td>
                    <td className={styles.rowActions}>
                      {manager && (
                        <button
                          type="button"
                          className={`button ${styles.smallButton}`}
                          onClick={() => setReleasing(hold)}
                          aria-label={`Release supplier lot ${hold.supplierLotCode}`}
                        >
                          Release…
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter list={holds} noun="supplier holds" />
        </>
      )}
      {releasing && (
        <SignatureDialog
          title={`Release supplier lot ${releasing.supplierLotCode}`}
          summary={
            <p>
              {releasing.supplier.name}: <strong>{releasing.reason}</strong>. The {releasing.holds.length} lots held
              under it are released, and later receipts of the code arrive as usual.
            </p>
          }
          meaning="approved for release"
          submitLabel="Sign and release"
          onClose={() => setReleasing(null)}
          onSign={async (signature, form) => {
            const result = await release({
              input: {
                supplierHoldId: releasing.id,
                reason: String(form.get("reason") ?? "").trim(),
                signature,
              },
            });
            if (result.error) return signatureProblem(result.error, problemOf);
            onNotice(`Supplier lot ${releasing.supplierLotCode} released.`);
            void holds.reload();
            return null;
          }}
        >
          <label>
            Why it may be released
            <textarea name="reason" className="input" rows={2} required maxLength={2000} />
          </label>
        </SignatureDialog>
      )}
    </section>
  );
}
