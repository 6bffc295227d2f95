"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useClient, type CombinedError } from "urql";
import type { WorkOrderFilter, WorkOrderRowFragment } from "@/gql/graphql";
import { WorkOrderListQuery } from "./operations";

export type WorkOrderRow = WorkOrderRowFragment;

const PAGE_SIZE = 20;

interface ListState {
  orders: WorkOrderRow[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: CombinedError | null;
}

const INITIAL: ListState = {
  orders: [],
  totalCount: 0,
  endCursor: null,
  hasNextPage: false,
  loading: true,
  loadingMore: false,
  error: null,
};

/** Work orders for a filter, newest first, a page at a time; a new filter starts over. */
export function useWorkOrders(filter: WorkOrderFilter) {
  const client = useClient();
  const [state, setState] = useState<ListState>(INITIAL);
  const filterKey = JSON.stringify(filter);
  const generation = useRef(0);

  const load = useCallback(
    async (after: string | null, quiet = false) => {
      const mine = after ? generation.current : ++generation.current;
      if (!quiet) setState((s) => (after ? { ...s, loadingMore: true, error: null } : { ...INITIAL }));
      const result = await client
        .query(
          WorkOrderListQuery,
          { filter: JSON.parse(filterKey) as WorkOrderFilter, first: PAGE_SIZE, after },
          { requestPolicy: "network-only" },
        )
        .toPromise();
      if (mine !== generation.current) return; // a newer filter took over meanwhile
      setState((s) => {
        if (result.error || !result.data)
          return { ...s, loading: false, loadingMore: false, error: result.error ?? null };
        const page = result.data.workOrders;
        return {
          orders: [...(after ? s.orders : []), ...page.edges.map((edge) => edge.node)],
          totalCount: page.totalCount,
          endCursor: page.pageInfo.endCursor ?? null,
          hasNextPage: page.pageInfo.hasNextPage,
          loading: false,
          loadingMore: false,
          error: null,
        };
      });
    },
    [client, filterKey],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return {
    ...state,
    reload: () => load(null),
    /** After a change made here: the first page again, keeping the list on screen meanwhile. */
    refresh: () => load(null, true),
    loadMore: () => (state.endCursor ? load(state.endCursor) : Promise.resolve()),
  };
}
