"use client";

import type { CombinedError } from "urql";
import { describeError } from "@/lib/errors";
import styles from "./list-footer.module.css";

/** Under every paged list: how many of how many, a failed page's error, and "Load more" while there is more. */
export function ListFooter({
  list,
  noun,
}: {
  list: {
    items: unknown[];
    totalCount: number;
    hasNextPage: boolean;
    loadingMore: boolean;
    error: CombinedError | null;
    loadMore(): Promise<void>;
  };
  noun: string;
}) {
  return (
    <div className={styles.listFooter}>
      <span className={styles.muted}>
        {list.items.length} of {list.totalCount} {noun}
      </span>
      {list.error && (
        <span className={styles.inlineError} role="alert">
          {describeError(list.error)}
        </span>
      )}
      {list.hasNextPage && (
        <button type="button" className="button" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
          {list.loadingMore ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}

/** A list's loading, failed and empty states; nothing once it has rows. */
export function ListState({
  list,
  what,
  empty,
}: {
  list: { loading: boolean; error: CombinedError | null; items: unknown[]; reload(): Promise<void> };
  what: string;
  empty: string;
}) {
  if (list.loading)
    return (
      <p className={styles.listState} role="status" aria-busy="true">
        Reading {what}…
      </p>
    );
  if (list.error && list.items.length === 0)
    return (
      <div className={styles.listState} role="alert">
        <p>
          {what.charAt(0).toUpperCase() + what.slice(1)} could not be read. {describeError(list.error)}
        </p>
        <button type="button" className="button" onClick={() => void list.reload()}>
          Try again
        </button>
      </div>
    );
  if (list.items.length === 0) return <p className={styles.listState}>{empty}</p>;
  return null;
}
