"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useClient, type CombinedError } from "urql";
import type { AuditTrailFilter, AuditTrailQuery as AuditTrailResult } from "@/gql/graphql";
import { AuditTrailQuery } from "./operations";

export type AuditEntry = AuditTrailResult["auditTrail"]["edges"][number]["node"];

const PAGE_SIZE = 50;

interface TrailState {
  entries: AuditEntry[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: CombinedError | null;
}

const INITIAL: TrailState = {
  entries: [],
  totalCount: 0,
  endCursor: null,
  hasNextPage: false,
  loading: true,
  loadingMore: false,
  error: null,
};

/**
 * The merged audit trail for a filter, newest first, a page at a time. A new filter starts over;
 * "load more" appends the next page. Always read from the network: an auditor must see the log
 * as it is now, never a cached copy.
 */
export function useAuditTrail(filter: AuditTrailFilter) {
  const client = useClient();
  const [state, setState] = useState<TrailState>(INITIAL);
  const filterKey = JSON.stringify(filter);
  const generation = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      const mine = after ? generation.current : ++generation.current;
      setState((s) => (after ? { ...s, loadingMore: true, error: null } : { ...INITIAL }));
      const result = await client
        .query(
          AuditTrailQuery,
          { filter: JSON.parse(filterKey) as AuditTrailFilter, first: PAGE_SIZE, after },
          { requestPolicy: "network-only" },
        )
        .toPromise();
      if (mine !== generation.current) return; // a newer filter took over meanwhile
      setState((s) => {
        if (result.error || !result.data)
          return { ...s, loading: false, loadingMore: false, error: result.error ?? null };
        const trail = result.data.auditTrail;
        return {
          entries: [...(after ? s.entries : []), ...trail.edges.map((edge) => edge.node)],
          totalCount: trail.totalCount,
          endCursor: trail.pageInfo.endCursor ?? null,
          hasNextPage: trail.pageInfo.hasNextPage,
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
    loadMore: () => (state.endCursor ? load(state.endCursor) : Promise.resolve()),
  };
}
