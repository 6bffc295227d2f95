"use client";

import Link from "next/link";
import pageStyles from "@/components/page.module.css";
import { RecallKindBadge, RecallStatusBadge } from "@/components/status-badge";
import { formatDateTime } from "@/lib/format";
import { CaseFiles } from "./case-files";
import type { RecallCase } from "./recall-case-screen";
import { customersTold, durationText } from "./recall-format";
import { SourceText } from "./recall-workspace";
import styles from "./recall.module.css";

/** The case's number and kind, why it was opened, from what, by whom, how fast Lotgraph answered; its files and closing. */
export function CaseHeader({
  recallCase: c,
  manager,
  onClose,
}: {
  recallCase: RecallCase;
  manager: boolean;
  onClose(): void;
}) {
  return (
    <header className={styles.caseHeader}>
      <div className={styles.caseTop}>
        <div className={styles.caseHeading}>
          <p className={pageStyles.breadcrumb}>
            <Link href="/recall">Recalls</Link> › {c.number}
          </p>
          <h1 className={styles.caseTitle}>
            {c.number} <RecallKindBadge drill={c.drill} /> <RecallStatusBadge status={c.status} />
          </h1>
          <p className={styles.caseReason}>{c.reason}</p>
          {c.drill && (
            <p className={styles.drillBanner}>
              A mock-recall drill: nothing was held and no customer is told. Scope, exposure and reconciliation are kept
              as the drill found them; its report shows how fast and how completely the plant could answer.
            </p>
          )}
        </div>
        {manager && c.status === "OPEN" && <CloseButton recallCase={c} onClose={onClose} />}
      </div>
      <div className={styles.caseMeta}>
        <CaseFacts recallCase={c} />
        <CaseFiles recallCase={c} />
      </div>
    </header>
  );
}

function CaseFacts({ recallCase: c }: { recallCase: RecallCase }) {
  return (
    <dl className={styles.caseFacts}>
      <div>
        <dt>Source</dt>
        <dd>
          <SourceText recallCase={c} />
          <span className={styles.sub}>{c.sourceLot ? c.sourceLot.material.name : "every lot received under it"}</span>
        </dd>
      </div>
      <div>
        <dt>Opened</dt>
        <dd>
          {c.openedByName}
          <span className={styles.sub}>{formatDateTime(c.openedAt)}</span>
        </dd>
      </div>
      <div>
        <dt>Time to answer</dt>
        <dd>
          {durationText(c.answeredInMs)}
          <span className={styles.sub}>scope, exposure, reconciliation</span>
        </dd>
      </div>
      {c.closedAt && (
        <div>
          <dt>Closed</dt>
          <dd>
            {c.closedByName}
            <span className={styles.sub}>{formatDateTime(c.closedAt)}</span>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** Closing, or why it may not close yet: a real recall waits until every customer reached is told. */
function CloseButton({ recallCase, onClose }: { recallCase: RecallCase; onClose(): void }) {
  const { told, reached } = customersTold(recallCase);
  const untold = recallCase.drill ? 0 : reached - told;
  const noteId = `close-note-${recallCase.id}`;
  return (
    <div className={styles.closeBox}>
      <button
        type="button"
        className="button button-primary"
        onClick={onClose}
        disabled={untold > 0}
        aria-describedby={untold > 0 ? noteId : undefined}
      >
        {recallCase.drill ? "Close the drill…" : "Close the recall…"}
      </button>
      {untold > 0 && (
        <p id={noteId} className={styles.closeNote}>
          {untold === 1 ? "1 customer has" : `${untold} customers have`} not been told yet. Record every notice before
          closing.
        </p>
      )}
    </div>
  );
}
