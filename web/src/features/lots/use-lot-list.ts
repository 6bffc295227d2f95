"use client";

import { useState } from "react";
import { useClient, useQuery, type CombinedError } from "urql";
import type { LotListQuery as LotListResult } from "@/gql/graphql";
import { LotListQuery } from "./operations";

export const PAGE_SIZE = 25;

type Connection = LotListResult["lots"];
export type LotNode = Connection["edges"][number]["node"];

interface MorePages {
  pages: Connection[];
  loading: boolean;
  error: CombinedError | undefined;
}

export interface LotList {
  lots: LotNode[];
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
export function useLotList(codePrefix: string): LotList {
  const client = useClient();
  const filter = codePrefix ? { codePrefix } : null;
  const [first, reexecute] = useQuery({
    query: LotListQuery,
    variables: { filter, first: PAGE_SIZE, after: null },
    requestPolicy: "cache-and-network",
  });
  const [more, setMore] = useState<MorePages>({ pages: [], loading: false, error: undefined });

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

  return {
    lots: uniqueLots(pages),
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
