"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { ListFooter, ListState } from "@/components/list-footer";
import pageStyles from "@/components/page.module.css";
import tableStyles from "@/components/data-table.module.css";
import { RecallKindBadge, RecallStatusBadge } from "@/components/status-badge";
import { useMe } from "@/features/auth/use-me";
import type { RecallCaseRowFragment, RecallCaseStatus } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { grants } from "@/lib/roles";
import { usePaged } from "@/lib/use-paged";
import { RecallCasesQuery } from "./operations";
import { QuickLookup } from "./quick-lookup";
import { Segmented } from "./segmented";
import { customersTold, percentText } from "./recall-format";
import styles from "./recall.module.css";

const PAGE_SIZE = 20;

const STATUS_FILTERS = [
  { value: "", label: "All" },
  { value: "open", label: "Open" },
  { value: "closed", label: "Closed" },
] as const;
const KIND_FILTERS = [
  { value: "", label: "All" },
  { value: "recall", label: "Recalls" },
  { value: "drill", label: "Drills" },
] as const;

/**
 * The recall workspace: every recall case and mock-recall drill, newest first, with who was told
 * and how much of the source is accounted for. Managers open them; auditors read them; others
 * may only look up what a lot reached.
 */
export function RecallWorkspace() {
  const { me, loading } = useMe();
  if (loading)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (!me || !grants(me.roles, ["MANAGER", "AUDITOR"]))
    return (
      <div className={pageStyles.statePanel}>
        <h1>Recalls</h1>
        <p>Recall cases are run by quality managers and read by auditors.</p>
        <p>You can still look up everything a lot or a supplier&apos;s lot reached.</p>
        <QuickLookup />
      </div>
    );
  return <Workspace manager={grants(me.roles, ["MANAGER"])} />;
}

/** The filters in the address (`?status=open&kind=drill`), so going back to the list keeps them. */
function useFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const status = params.get("status") === "open" ? "open" : params.get("status") === "closed" ? "closed" : "";
  const kind = params.get("kind") === "recall" ? "recall" : params.get("kind") === "drill" ? "drill" : "";
  function set(name: "status" | "kind", value: string) {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }
  const variables: { status?: RecallCaseStatus; drill?: boolean } = {
    ...(status ? { status: status === "open" ? ("OPEN" as const) : ("CLOSED" as const) } : {}),
    ...(kind ? { drill: kind === "drill" } : {}),
  };
  return { status, kind, set, variables };
}

function Workspace({ manager }: { manager: boolean }) {
  const filters = useFilters();
  const cases = usePaged(RecallCasesQuery, filters.variables, (data) => data.recallCases, { pageSize: PAGE_SIZE });
  const filtered = filters.status !== "" || filters.kind !== "";
  return (
    <>
      <div className={pageStyles.toolbar}>
        <div>
          <h1 className={pageStyles.title}>Recalls</h1>
          <p className={pageStyles.lede}>
            Recall cases and mock-recall drills: what each reached, who was told, and how much of the source is found.
          </p>
        </div>
        {manager && (
          <div className={styles.toolbarActions}>
            <Link href="/recall/open?drill=1" className="button">
              Run a mock-recall drill
            </Link>
            <Link href="/recall/open" className="button button-primary">
              Open a recall
            </Link>
          </div>
        )}
      </div>

      <div className={styles.listControls}>
        <Segmented
          legend="Status"
          name="status"
          options={STATUS_FILTERS}
          value={filters.status}
          onChange={(v) => filters.set("status", v)}
        />
        <Segmented
          legend="Kind"
          name="kind"
          options={KIND_FILTERS}
          value={filters.kind}
          onChange={(v) => filters.set("kind", v)}
        />
        <QuickLookup compact />
      </div>

      <ListState
        list={cases}
        what="the recall cases"
        empty={
          filtered
            ? "No case matches these filters."
            : manager
              ? "No recall or drill yet. Run a mock-recall drill to see how fast the plant can answer."
              : "No recall or drill has been opened yet."
        }
      />
      {cases.items.length > 0 && <CaseTable cases={cases.items} />}
      {cases.items.length > 0 && <ListFooter list={cases} noun="cases" />}
    </>
  );
}

function CaseTable({ cases }: { cases: RecallCaseRowFragment[] }) {
  return (
    <div className={tableStyles.tableWrap}>
      <table className={tableStyles.table}>
        <caption className="visually-hidden">Recall cases and drills, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Kind and status</th>
            <th scope="col">Source</th>
            <th scope="col">Opened</th>
            <th scope="col" className={`${styles.num} ${styles.wrapHead}`}>
              Customers told
            </th>
            <th scope="col" className={`${styles.num} ${styles.wrapHead}`}>
              Source found
            </th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <CaseRow key={c.id} recallCase={c} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CaseRow({ recallCase: c }: { recallCase: RecallCaseRowFragment }) {
  const { told, reached } = customersTold(c);
  return (
    <tr data-testid="recall-case-row">
      <th scope="row">
        <Link href={`/recall/${c.id}`} className={styles.caseLink}>
          {c.number}
        </Link>
        <span className={styles.sub}>{c.reason}</span>
      </th>
      <td>
        <span className={styles.badges}>
          <RecallKindBadge drill={c.drill} />
          <RecallStatusBadge status={c.status} />
        </span>
      </td>
      <td>
        <SourceText recallCase={c} />
      </td>
      <td>
        {c.openedByName}
        <span className={`${styles.sub} ${styles.nowrap}`}>{formatDateTime(c.openedAt)}</span>
      </td>
      <td className={styles.num}>
        {c.drill ? (
          <span className={styles.sub}>None: a drill</span>
        ) : reached === 0 ? (
          <span className={styles.sub}>None reached</span>
        ) : (
          <span className={told === reached ? styles.good : styles.warn}>
            {told} of {reached}
          </span>
        )}
      </td>
      <td className={styles.num}>
        <span className={c.reconciliation.balanced ? styles.good : styles.warn}>
          {percentText(c.reconciliation.percentAccountedFor)}
        </span>
      </td>
    </tr>
  );
}

/** Where a case started: our lot (a link to it) or a supplier's lot code. */
export function SourceText({
  recallCase,
}: {
  recallCase: { sourceLot?: { code: string } | null; supplierLotCode?: string | null };
}) {
  if (recallCase.sourceLot)
    return (
      <>
        Lot{" "}
        <Link href={`/lots/${encodeURIComponent(recallCase.sourceLot.code)}`} className={styles.nowrap}>
          {recallCase.sourceLot.code}
        </Link>
      </>
    );
  return (
    <>
      Supplier lot <span className={styles.nowrap}>{recallCase.supplierLotCode}</span>
    </>
  );
}
