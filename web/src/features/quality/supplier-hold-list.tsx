"use client";

import { useState } from "react";
import { useMutation } from "urql";
import { SignatureDialog, signatureProblem } from "@/components/signature-dialog";
import type { OpenSupplierHoldsQuery } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { problemOf } from "@/lib/problem";
import { usePaged } from "@/lib/use-paged";
import { ListCard } from "./list-card";
import { OpenSupplierHoldsQuery as OpenSupplierHolds, ReleaseSupplierHoldMutation } from "./operations";
import styles from "./quality.module.css";

type SupplierHold = OpenSupplierHoldsQuery["supplierHolds"]["edges"][number]["node"];

const PAGE_SIZE = 20;

/** The supplier lot codes on hold, each (managers) released with a signature. */
export function SupplierHoldList({
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
  return (
    <ListCard
      titleId="supplier-holds-title"
      title="Supplier lots on hold"
      list={holds}
      what="the supplier holds"
      empty="No supplier lot is on hold."
      noun="supplier holds"
      caption="Supplier lot codes on hold, newest first"
      columns={["Supplier lot", "Reason", "Lots held", "Placed"]}
      row={(hold) => <SupplierHoldRow hold={hold} manager={manager} onRelease={setReleasing} />}
    >
      {releasing && (
        <ReleaseSupplierHoldDialog
          hold={releasing}
          onClose={() => setReleasing(null)}
          onReleased={(message) => {
            onNotice(message);
            void holds.reload();
          }}
        />
      )}
    </ListCard>
  );
}

function SupplierHoldRow({
  hold,
  manager,
  onRelease,
}: {
  hold: SupplierHold;
  manager: boolean;
  onRelease(hold: SupplierHold): void;
}) {
  return (
    <tr data-testid="supplier-hold">
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
            onClick={() => onRelease(hold)}
            aria-label={`Release supplier lot ${hold.supplierLotCode}`}
          >
            Release…
          </button>
        )}
      </td>
    </tr>
  );
}

/** Releasing a supplier lot code, signed: the lots held under it are released with it. */
function ReleaseSupplierHoldDialog({
  hold: releasing,
  onClose,
  onReleased,
}: {
  hold: SupplierHold;
  onClose(): void;
  onReleased(message: string): void;
}) {
  const [, release] = useMutation(ReleaseSupplierHoldMutation);
  return (
    <SignatureDialog
      title={`Release supplier lot ${releasing.supplierLotCode}`}
      summary={
        <p>
          {releasing.supplier.name}: <strong>{releasing.reason}</strong>. The {releasing.holds.length} lots held under
          it are released, and later receipts of the code arrive as usual.
        </p>
      }
      meaning="approved for release"
      submitLabel="Sign and release"
      onClose={onClose}
      onSign={async (signature, form) => {
        const result = await release({
          input: {
            supplierHoldId: releasing.id,
            reason: String(form.get("reason") ?? "").trim(),
            signature,
          },
        });
        if (result.error) return signatureProblem(result.error, problemOf);
        onReleased(`Supplier lot ${releasing.supplierLotCode} released.`);
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
