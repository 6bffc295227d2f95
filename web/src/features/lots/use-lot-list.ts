"use client";

import { useState } from "react";
import { useClient, useQuery, useSubscription, type CombinedError } from "urql";
import type { LotListQuery as LotListResult, LotRowFragment } from "@/gql/graphql";
import type { LotFilterValues } from "./lot-filters";
import { LotChangedSubscription, LotListQuery } from "./operations";

export const PAGE_SIZE = 25;

type Connection = LotListResult["lots"];
export type LotNode = LotRowFragment;

/** How many live changes the page remembers (the newest win); a shift rarely touches more lots. */
const MAX_LIVE_CHANGES = 2_000;

/** Lots changed since the page loaded, newest last, with a counter that bumps on every change. */
interface LiveChanges {
  lots: Map<string, { lot: LotNode; version: number }>;
  version: number;
}

interface MorePages {
  pages: Connection[];
  loading: boolean;
  error: CombinedError | undefined;
}

export interface LotList {
  lots: LotNode[];
  /** Per shown lot changed live, a version that increases with each change (to highlight it). */
  liveVersions: Map<string, number>;
  /** Lots received or made since the list was loaded that match it: `refresh` shows them. */
  arrivedCount: number;
  totalCount: number;
  hasNextPage: boolean;
  /** First page not there yet. */
  loading: boolean;
  /** Showing data while a fresher copy is fetched. */
  refreshing: boolean;
  /** The first page failed and there is nothing to show. */
  error: CombinedError | undefined;
  refresh(): void;
  loadMore(): void;
  loadingMore: boolean;
  loadMoreError: CombinedError | undefined;
}

/**
 * The lot list for one code prefix: the first page through `useQuery` (cached, refreshed in the
 * background), later pages fetched on demand and appended. Mount it under a `key` of the prefix so
 * a new search starts again from the first page.
 */
export function useLotList(codePrefix: string, filters: LotFilterValues = {}): LotList {
  const client = useClient();
  const narrowed = { ...filters, ...(codePrefix ? { codePrefix } : {}) };
  const filter = Object.keys(narrowed).length ? narrowed : null;
  const [first, reexecute] = useQuery({
    query: LotListQuery,
    variables: { filter, first: PAGE_SIZE, after: null },
    requestPolicy: "cache-and-network",
  });
  const [more, setMore] = useState<MorePages>({ pages: [], loading: false, error: undefined });
  const [live] = useSubscription({ query: LotChangedSubscription }, rememberChange);

  const firstPage = first.data?.lots;
  const pages = firstPage ? [firstPage, ...more.pages] : [];
  const lastPage = pages.at(-1);

  async function loadMore(): Promise<void> {
    const after = lastPage?.pageInfo.endCursor;
    if (!after || more.loading) return;
    setMore((m) => ({ ...m, loading: true, error: undefined }));
    const result = await client
      .query(LotListQuery, { filter, first: PAGE_SIZE, after }, { requestPolicy: "network-only" })
      .toPromise();
    const page = result.data?.lots;
    setMore((m) =>
      page
        ? { pages: [...m.pages, page], loading: false, error: undefined }
        : { ...m, loading: false, error: result.error },
    );
  }

  const listed = uniqueLots(pages);
  const changes = live.data?.lots ?? new Map<string, { lot: LotNode; version: number }>();
  const liveVersions = new Map<string, number>();
  const lots = listed.map((lot) => {
    const change = changes.get(lot.id);
    if (!change) return lot;
    liveVersions.set(lot.id, change.version);
    return change.lot;
  });
  // New since the list loaded: created after its newest lot (server times on both sides, so a
  // browser clock that is off does not matter), matching the search as the server matches it.
  const shown = new Set(listed.map((lot) => lot.id));
  const newestListed = listed.reduce((newest, lot) => (lot.createdAt > newest ? lot.createdAt : newest), "");
  const prefix = codePrefix.toLowerCase();
  let arrivedCount = 0;
  for (const { lot } of changes.values()) {
    const matches = lot.code.toLowerCase().startsWith(prefix) && matchesFilters(lot, filters);
    if (!shown.has(lot.id) && lot.createdAt > newestListed && matches) arrivedCount++;
  }

  return {
    lots,
    liveVersions,
    arrivedCount,
    totalCount: lastPage?.totalCount ?? 0,
    hasNextPage: lastPage?.pageInfo.hasNextPage ?? false,
    loading: !firstPage && first.fetching,
    refreshing: Boolean(firstPage) && (first.fetching || Boolean(first.stale)),
    error: firstPage ? undefined : first.error,
    refresh: () => reexecute({ requestPolicy: "network-only" }),
    loadMore: () => void loadMore(),
    loadingMore: more.loading,
    loadMoreError: more.error,
  };
}

/** Folds one live change into what the page remembers. */
function rememberChange(previous: LiveChanges | undefined, event: { lotChanged: LotNode }): LiveChanges {
  const version = (previous?.version ?? 0) + 1;
  const lots = new Map(previous?.lots);
  lots.delete(event.lotChanged.id); // re-inserted last: the map stays ordered oldest change first
  lots.set(event.lotChanged.id, { lot: event.lotChanged, version });
  if (lots.size > MAX_LIVE_CHANGES) lots.delete(lots.keys().next().value!);
  return { lots, version };
}

// A lot received between two page loads can shift a page boundary; show each lot once.
function uniqueLots(pages: Connection[]): LotNode[] {
  const seen = new Set<string>();
  const lots: LotNode[] = [];
  for (const page of pages) {
    for (const { node } of page.edges) {
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      lots.push(node);
    }
  }
  return lots;
}

/**
 * Whether a lot that arrived live belongs in the filtered list, as far as its row tells: material
 * and status. Location, supplier lot code and expiry are not in the row, so with those filters
 * nothing is announced rather than something wrong. A lot arriving now is inside a window that
 * has no end, and outside one that has.
 */
function matchesFilters(lot: LotNode, filters: LotFilterValues): boolean {
  if (filters.locationId || filters.supplierLotCode || filters.expiringBefore || filters.createdBefore) return false;
  if (filters.materialId && lot.material.id !== filters.materialId) return false;
  if (filters.status && !filters.status.includes(lot.status)) return false;
  return true;
}
