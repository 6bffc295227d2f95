"use client";

import Link from "next/link";
import { useQuery } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { HoldBadge } from "@/components/status-badge";
import { useMe } from "@/features/auth/use-me";
import type { RecallHoldsQuery as HoldsData } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { grants } from "@/lib/roles";
import { RecallHoldsQuery } from "./operations";
import type { RecallCase } from "./recall-case-screen";
import styles from "./recall.module.css";

type Holds = NonNullable<HoldsData["recallCase"]>;

/**
 * The holds a real recall placed, as quality keeps them now: a lot and everything made from it,
 * or a supplier's lot code for each supplier that delivered it. They stay until quality releases
 * them, closed case or not.
 */
export function HoldsPanel({ recallCase }: { recallCase: RecallCase }) {
  const { me } = useMe();
  const [result] = useQuery({
    query: RecallHoldsQuery,
    variables: { id: recallCase.id },
    requestPolicy: "cache-and-network",
    pause: recallCase.drill,
  });
  if (recallCase.drill)
    return <p className={styles.panelState}>A drill places no holds: the plant carried on as it was.</p>;
  const holds = result.data?.recallCase;
  if (result.error && !holds)
    return (
      <p className={styles.panelState} role="alert">
        The holds could not be read. {describeError(result.error)}
      </p>
    );
  if (!holds)
    return (
      <p className={styles.panelState} role="status">
        Reading the holds…
      </p>
    );
  return (
    <div className={styles.stack}>
      <div className={styles.panelBar}>
        <p className={styles.panelIntro}>
          Lots made later from held material, and later receipts of a held supplier lot code, arrive on hold. The holds
          stay until quality releases them, with a signature.
        </p>
        {me && grants(me.roles, ["OPERATOR"]) && (
          <Link href="/quality#holds" className="button">
            Open the holds in Quality
          </Link>
        )}
      </div>
      {holds.holds.length === 0 && holds.supplierHolds.length === 0 && (
        <p className={styles.panelState}>This recall placed no holds.</p>
      )}
      {holds.holds.length > 0 && <LotHolds holds={holds.holds} />}
      {holds.supplierHolds.length > 0 && <SupplierHolds holds={holds.supplierHolds} />}
    </div>
  );
}

function LotHolds({ holds }: { holds: Holds["holds"] }) {
  // A hold placed lot by lot holds nothing else; only a propagating one says how many it reached.
  const propagates = holds.some((hold) => hold.propagated.length > 0);
  return (
    <div className={tableStyles.tableWrap}>
      <table className={tableStyles.table}>
        <caption className="visually-hidden">Holds on lots</caption>
        <thead>
          <tr>
            <th scope="col">Lot</th>
            <th scope="col">Reason</th>
            <th scope="col">Placed</th>
            {propagates && (
              <th scope="col" className={styles.num}>
                Lots held with it
              </th>
            )}
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {holds.map((hold) => (
            <tr key={hold.id} data-testid="recall-hold">
              <th scope="row">
                <Link href={`/lots/${encodeURIComponent(hold.lot.code)}`}>{hold.lot.code}</Link>
                <span className={styles.sub}>{hold.lot.material.name}</span>
              </th>
              <td>{hold.reason}</td>
              <td>
                {hold.placedByName}
                <span className={styles.sub}>{formatDateTime(hold.placedAt)}</span>
              </td>
              {propagates && <td className={styles.num}>{hold.propagated.filter((p) => p.active).length}</td>}
              <td>
                <HoldBadge active={hold.active} />
                {hold.releasedAt && (
                  <span className={styles.sub}>
                    by {hold.releasedByName}, {formatDateTime(hold.releasedAt)}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SupplierHolds({ holds }: { holds: Holds["supplierHolds"] }) {
  return (
    <div className={tableStyles.tableWrap}>
      <table className={tableStyles.table}>
        <caption className="visually-hidden">Holds on a supplier&apos;s lot code</caption>
        <thead>
          <tr>
            <th scope="col">Supplier lot</th>
            <th scope="col">Reason</th>
            <th scope="col">Placed</th>
            <th scope="col" className={styles.num}>
              Lots held
            </th>
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {holds.map((hold) => (
            <tr key={hold.id} data-testid="recall-supplier-hold">
              <th scope="row">
                {hold.supplierLotCode}
                <span className={styles.sub}>{hold.supplier.name}</span>
              </th>
              <td>{hold.reason}</td>
              <td>
                {hold.placedByName}
                <span className={styles.sub}>{formatDateTime(hold.placedAt)}</span>
              </td>
              <td className={styles.num}>{hold.holds.length}</td>
              <td>
                <HoldBadge active={hold.active} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
