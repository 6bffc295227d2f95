"use client";

import { useCallback, useState } from "react";
import { EmptyState, ErrorState, LoadingState } from "./lot-states";
import { LotFilters, hasFilters, type LotFilterValues } from "./lot-filters";
import { LotSearch } from "./lot-search";
import { LotTable } from "./lot-table";
import { useLotList } from "./use-lot-list";
import { LiveIndicator } from "@/components/live-indicator";
import { useMe } from "@/features/auth/use-me";
import { grants } from "@/lib/roles";
import { ReceiveLot } from "./receive-lot";
import { describeError } from "@/lib/errors";
import styles from "./lots.module.css";

function LotResults({
  codePrefix,
  filters,
  onClear,
}: {
  codePrefix: string;
  filters: LotFilterValues;
  onClear(): void;
}) {
  const list = useLotList(codePrefix, filters);

  if (list.error) return <ErrorState error={list.error} onRetry={list.refresh} />;
  if (list.loading || (list.lots.length === 0 && list.refreshing)) return <LoadingState />;
  if (list.lots.length === 0)
    return <EmptyState codePrefix={codePrefix} filtered={hasFilters(filters)} onClear={onClear} />;

  return (
    <>
      <div className={styles.summary}>
        <p aria-live="polite">
          Showing <strong>{list.lots.length}</strong> of <strong>{list.totalCount}</strong>{" "}
          {list.totalCount === 1 ? "lot" : "lots"}
          {codePrefix && <> with a code starting “{codePrefix}”</>}
          {hasFilters(filters) && <> matching the filters</>}
        </p>
        <div className={styles.summaryActions}>
          <LiveIndicator title="Lot changes appear here as they happen" />
          <button
            type="button"
            className={`button ${styles.refresh}`}
            onClick={list.refresh}
            disabled={list.refreshing}
          >
            {list.refreshing ? "Updating…" : "Refresh"}
          </button>
        </div>
      </div>
      {list.arrivedCount > 0 && (
        <button type="button" className={styles.arrived} onClick={list.refresh} disabled={list.refreshing}>
          {list.arrivedCount === 1 ? "1 new lot" : `${list.arrivedCount} new lots`} since this list was loaded — show
        </button>
      )}
      <LotTable lots={list.lots} liveVersions={list.liveVersions} />
      <div className={styles.more}>
        {list.loadMoreError && (
          <p className={styles.inlineError} role="alert">
            {describeError(list.loadMoreError)}
          </p>
        )}
        {list.hasNextPage ? (
          <button type="button" className="button button-primary" onClick={list.loadMore} disabled={list.loadingMore}>
            {list.loadingMore ? "Loading…" : list.loadMoreError ? "Try again" : "Load more"}
          </button>
        ) : (
          list.lots.length > 0 && <p className={styles.muted}>End of list</p>
        )}
      </div>
    </>
  );
}

/** Operators receive at the dock from here; the new lot shows in the list below as it arrives. */
function ReceiveArea() {
  const { me } = useMe();
  const [open, setOpen] = useState(false);
  if (!me || !grants(me.roles, ["OPERATOR"])) return null;
  if (open) return <ReceiveLot onClose={() => setOpen(false)} />;
  return (
    <div className={styles.receiveToggle}>
      <button type="button" className="button button-primary" onClick={() => setOpen(true)}>
        Receive a lot…
      </button>
    </div>
  );
}

export function LotsScreen() {
  const [codePrefix, setCodePrefix] = useState("");
  const [filters, setFilters] = useState<LotFilterValues>({});
  // Also resets the filter form: it is keyed by this counter.
  const [filterForm, setFilterForm] = useState(0);
  const clear = useCallback(() => {
    setCodePrefix("");
    setFilters({});
    setFilterForm((n) => n + 1);
  }, []);

  return (
    <section aria-labelledby="lots-title">
      <div className={styles.toolbar}>
        <div>
          <h1 id="lots-title" className={styles.title}>
            Lots
          </h1>
          <p className={styles.lede}>Every lot received or made in the plant.</p>
        </div>
        <LotSearch value={codePrefix} onSearch={setCodePrefix} />
      </div>
      <ReceiveArea />
      <LotFilters key={filterForm} onApply={setFilters} />
      {/* Keyed by the search so a new one starts again from its first page. */}
      <LotResults
        key={JSON.stringify([codePrefix, filters])}
        codePrefix={codePrefix}
        filters={filters}
        onClear={clear}
      />
    </section>
  );
}
