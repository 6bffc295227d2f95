"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery } from "urql";
import formStyles from "@/components/form.module.css";
import pageStyles from "@/components/page.module.css";
import { tabIds, Tabs, useTabInAddress } from "@/components/tabs";
import { useMe } from "@/features/auth/use-me";
import type { RecallCaseDetailFragment } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { grants } from "@/lib/roles";
import { useDocumentTitle } from "@/lib/use-document-title";
import { CaseHeader } from "./case-header";
import { CaseSummary } from "./case-summary";
import { CloseCaseDialog } from "./close-case-dialog";
import { CustomersPanel } from "./customers-panel";
import { ExposureLotsPanel } from "./exposure-lots-panel";
import { HoldsPanel } from "./holds-panel";
import { NoticeDialog } from "./notice-dialog";
import { NoticesPanel } from "./notices-panel";
import { RecallCaseQuery } from "./operations";
import { customersTold } from "./recall-format";
import { ReconciliationPanel } from "./reconciliation-panel";
import { ScopePanel } from "./scope-panel";
import styles from "./recall.module.css";

export type RecallCase = RecallCaseDetailFragment;

const TAB_IDS = ["scope", "customers", "lots", "notices", "reconciliation", "holds"] as const;
type TabId = (typeof TAB_IDS)[number];
const TAB = tabIds("recall");

/** /recall/[id]: one recall case or drill, for the managers who run it and the auditors who read it. */
export function RecallCaseScreen({ id }: { id: string }) {
  const { me, loading } = useMe();
  if (loading)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (!me || !grants(me.roles, ["MANAGER", "AUDITOR"]))
    return (
      <div className={pageStyles.statePanel} role="alert">
        <h1>Recall case</h1>
        <p>Recall cases are run by quality managers and read by auditors. Ask an administrator for the role.</p>
        <Link href="/recall" className="button">
          Back to recalls
        </Link>
      </div>
    );
  return <CaseWorkspace id={id} manager={grants(me.roles, ["MANAGER"])} />;
}

/** Who to record a notice for: a customer picked already, or one to pick (null). */
type NoticeTarget = { customerId: string | null } | null;

function CaseWorkspace({ id, manager }: { id: string; manager: boolean }) {
  const [result, reload] = useQuery({ query: RecallCaseQuery, variables: { id }, requestPolicy: "cache-and-network" });
  const [tab, setTab] = useTabInAddress(TAB_IDS, "scope");
  const [closing, setClosing] = useState(false);
  const [noticeFor, setNoticeFor] = useState<NoticeTarget>(null);
  const [message, setMessage] = useState<string | null>(null);
  const recallCase = result.data?.recallCase;
  useDocumentTitle(recallCase && `${recallCase.number} · ${recallCase.drill ? "Recall drill" : "Recall"}`);
  if (!result.data && result.fetching)
    return (
      <div className="page-status" role="status">
        Reading the case: its scope, exposure and reconciliation…
      </div>
    );
  if (result.error && !recallCase) return <CaseProblem message={describeError(result.error)} />;
  if (!recallCase) return <CaseProblem title="No such case" message="No recall case or drill has this address." />;

  const canNotify = manager && !recallCase.drill && recallCase.status === "OPEN";
  const notify = canNotify ? (customerId: string | null) => setNoticeFor({ customerId }) : null;
  const done = (text: string) => {
    setMessage(text);
    reload({ requestPolicy: "network-only" });
  };
  return (
    <>
      <CaseHeader recallCase={recallCase} manager={manager} onClose={() => setClosing(true)} />
      {message && (
        <p className={formStyles.success} role="status">
          {message}
        </p>
      )}
      <CaseSummary recallCase={recallCase} onNotify={notify} onShowReconciliation={() => setTab("reconciliation")} />
      <Tabs tabs={caseTabs(recallCase)} selected={tab} onSelect={setTab} label="Recall case" idPrefix="recall" />
      <section role="tabpanel" id={TAB.panel(tab)} aria-labelledby={TAB.tab(tab)} className={styles.panel}>
        <CasePanel tab={tab} recallCase={recallCase} manager={manager} onNotify={notify} />
      </section>
      {closing && <CloseCaseDialog recallCase={recallCase} onClose={() => setClosing(false)} onClosed={done} />}
      {noticeFor && (
        <NoticeDialog
          recallCase={recallCase}
          customerId={noticeFor.customerId}
          onClose={() => setNoticeFor(null)}
          onRecorded={done}
        />
      )}
    </>
  );
}

function caseTabs(recallCase: RecallCase) {
  const { told, reached } = customersTold(recallCase);
  const lots = recallCase.scope.frozenCount + recallCase.scope.foundLaterCount;
  return [
    { id: "scope" as const, label: "Scope", count: lots, countAlerts: false },
    {
      id: "customers" as const,
      label: "Customers",
      // Amber while a real recall has customers not yet told: they wait for someone.
      count: reached,
      countAlerts: !recallCase.drill && told < reached,
    },
    { id: "lots" as const, label: "Exposure by lot" },
    { id: "notices" as const, label: "Notices", count: recallCase.notices.length, countAlerts: false },
    { id: "reconciliation" as const, label: "Reconciliation" },
    {
      id: "holds" as const,
      label: "Holds",
      count: recallCase.holds.length + recallCase.supplierHolds.length,
      countAlerts: false,
    },
  ];
}

function CasePanel({
  tab,
  recallCase,
  manager,
  onNotify,
}: {
  tab: TabId;
  recallCase: RecallCase;
  manager: boolean;
  onNotify: ((customerId: string | null) => void) | null;
}) {
  switch (tab) {
    case "scope":
      return <ScopePanel recallCase={recallCase} />;
    case "customers":
      return <CustomersPanel recallCase={recallCase} onNotify={onNotify} />;
    case "lots":
      return <ExposureLotsPanel recallCase={recallCase} />;
    case "notices":
      return <NoticesPanel recallCase={recallCase} manager={manager} onNotify={onNotify} />;
    case "reconciliation":
      return <ReconciliationPanel recallCase={recallCase} />;
    case "holds":
      return <HoldsPanel recallCase={recallCase} />;
  }
}

function CaseProblem({ title = "Recall case", message }: { title?: string; message: string }) {
  return (
    <div className={pageStyles.statePanel} role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
      <Link href="/recall" className="button">
        Back to recalls
      </Link>
    </div>
  );
}
