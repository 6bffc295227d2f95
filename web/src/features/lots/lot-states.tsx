import type { CombinedError } from "urql";
import { describeError, errorCode } from "@/lib/errors";
import styles from "./lots.module.css";

export function LoadingState() {
  return (
    <div className={styles.panel} role="status" aria-live="polite" aria-busy="true">
      <span className="visually-hidden">Loading lots…</span>
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className={styles.skeletonRow} aria-hidden="true">
          <span className={styles.skeleton} style={{ width: "14%" }} />
          <span className={styles.skeleton} style={{ width: "22%" }} />
          <span className={styles.skeleton} style={{ width: "10%" }} />
          <span className={styles.skeleton} style={{ width: "12%" }} />
          <span className={styles.skeleton} style={{ width: "12%" }} />
          <span className={styles.skeleton} style={{ width: "16%" }} />
        </div>
      ))}
    </div>
  );
}

function BoxIcon() {
  return (
    <svg viewBox="0 0 48 48" width="56" height="56" aria-hidden="true" className={styles.stateIcon}>
      <path
        d="M24 4 42 13v22L24 44 6 35V13Z M6 13l18 9 18-9 M24 22v22"
        fill="none"
        stroke="currentColor"
        strokeWidth="3"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function EmptyState({
  codePrefix,
  filtered,
  onClear,
}: {
  codePrefix: string;
  filtered: boolean;
  onClear(): void;
}) {
  if (filtered) {
    return (
      <div className={styles.statePanel}>
        <BoxIcon />
        <h2>No lot matches these filters</h2>
        <p>Widen a filter, or clear them to see every lot.</p>
        <button type="button" className="button" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  if (codePrefix) {
    return (
      <div className={styles.statePanel}>
        <BoxIcon />
        <h2>No lot code starts with “{codePrefix}”</h2>
        <p>Check the code on the label, or scan it again.</p>
        <button type="button" className="button" onClick={onClear}>
          Clear search
        </button>
      </div>
    );
  }
  return (
    <div className={styles.statePanel}>
      <BoxIcon />
      <h2>No lots yet</h2>
      <p>Lots appear here as soon as material is received or a run records its output.</p>
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: CombinedError; onRetry(): void }) {
  const code = errorCode(error);
  return (
    <div className={`${styles.statePanel} ${styles.errorPanel}`} role="alert">
      <svg viewBox="0 0 48 48" width="56" height="56" aria-hidden="true">
        <circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" strokeWidth="3" />
        <path d="M24 13v14 M24 33v2" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
      </svg>
      <h2>Couldn’t load lots</h2>
      <p>{describeError(error)}</p>
      {code && <p className={styles.errorCode}>Error code: {code}</p>}
      <button type="button" className="button button-primary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
