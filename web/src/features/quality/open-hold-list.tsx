"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation } from "urql";
import { SignatureDialog, signatureProblem } from "@/components/signature-dialog";
import type { OpenHoldsQuery } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { problemOf } from "@/lib/problem";
import { usePaged } from "@/lib/use-paged";
import { lotHref } from "./format-limits";
import { ListCard } from "./list-card";
import { OpenNonConformanceDialog } from "./open-non-conformance-dialog";
import { OpenHoldsQuery as OpenHolds, ReleaseHoldMutation } from "./operations";
import styles from "./quality.module.css";

type Hold = OpenHoldsQuery["holds"]["edges"][number]["node"];

const PAGE_SIZE = 20;

/** The lots on hold, newest first, each opened as a nonconformance or (managers) released with a signature. */
export function OpenHoldList({
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
  return (
    <ListCard
      titleId="open-holds-title"
      title="Open holds"
      list={holds}
      what="the holds"
      empty="No lot is on hold."
      noun="holds"
      caption="Lots on hold, newest first"
      columns={["Lot", "Reason", "Placed"]}
      row={(hold) => <HoldRow hold={hold} manager={manager} onOpen={setOpening} onRelease={setReleasing} />}
    >
      {releasing && (
        <ReleaseHoldDialog
          hold={releasing}
          onClose={() => setReleasing(null)}
          onReleased={(message) => {
            onNotice(message);
            void holds.reload();
          }}
        />
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
    </ListCard>
  );
}

function HoldRow({
  hold,
  manager,
  onOpen,
  onRelease,
}: {
  hold: Hold;
  manager: boolean;
  onOpen(hold: Hold): void;
  onRelease(hold: Hold): void;
}) {
  return (
    <tr data-testid="open-hold">
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
        <button type="button" className={`button ${styles.smallButton}`} onClick={() => onOpen(hold)}>
          Open nonconformance
        </button>
        {manager && (
          <button
            type="button"
            className={`button ${styles.smallButton}`}
            onClick={() => onRelease(hold)}
            aria-label={`Release the hold on ${hold.lot.code}`}
          >
            Release…
          </button>
        )}
      </td>
    </tr>
  );
}

/** Releasing one hold, signed; a hold placed by hand releases the lots held with it too. */
function ReleaseHoldDialog({
  hold: releasing,
  onClose,
  onReleased,
}: {
  hold: Hold;
  onClose(): void;
  onReleased(message: string): void;
}) {
  const [, release] = useMutation(ReleaseHoldMutation);
  return (
    <SignatureDialog
      title={`Release the hold on ${releasing.lot.code}`}
      summary={
        <p>
          <strong>{releasing.reason}</strong> — placed by {releasing.placedByName}, {formatDateTime(releasing.placedAt)}
          .{!releasing.cause && " Every lot held with it is released too."}
        </p>
      }
      meaning="approved for release"
      submitLabel="Sign and release"
      onClose={onClose}
      onSign={async (signature, form) => {
        const result = await release({
          input: { holdId: releasing.id, reason: String(form.get("reason") ?? "").trim(), signature },
        });
        if (result.error) return signatureProblem(result.error, problemOf);
        const count = result.data?.releaseHold.released.length ?? 1;
        onReleased(`Hold on ${releasing.lot.code} released${count > 1 ? ` with ${count - 1} more held with it` : ""}.`);
        return null;
      }}
    >
      <label>
        Why it may be released
        <textarea name="reason" className="input" rows={2} required maxLength={2000} />
      </label>
    </SignatureDialog>
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
