"use client";

import type { TypedDocumentNode } from "@urql/core";
import { useCallback, useEffect, useRef, useState } from "react";
import { useClient, type CombinedError } from "urql";

/** The Relay-style connection every paged list of the API answers with. */
export interface Connection<Node> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: ReadonlyArray<{ node: Node }>;
}

interface PagedState<Node> {
  items: Node[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: CombinedError | null;
}

/** What {@link usePaged} gives a screen: the rows read so far, how reading them went, and reading again or more. */
export interface PagedList<Node> extends PagedState<Node> {
  reload(): Promise<void>;
  loadMore(): Promise<void>;
}

const initial = <Node>(): PagedState<Node> => ({
  items: [],
  totalCount: 0,
  endCursor: null,
  hasNextPage: false,
  loading: true,
  loadingMore: false,
  error: null,
});

type PageVariables = { first?: number | null; after?: string | null };

/**
 * A paged list, newest first: "load more" appends the next page. When `revision` changes (a live
 * event) the list is read again from the top, as many rows as were shown, so a person who loaded
 * three pages keeps seeing three pages. Always from the network: holds and decisions change
 * under the screen, and a cached list would show a released hold as still standing.
 */
export function usePaged<Data, Variables extends PageVariables, Node>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Omit<Variables, "first" | "after">,
  select: (data: Data) => Connection<Node>,
  { pageSize, revision = 0 }: { pageSize: number; revision?: number },
): PagedList<Node> {
  const client = useClient();
  const [state, setState] = useState<PagedState<Node>>(initial);
  const variablesKey = JSON.stringify(variables);
  const generation = useRef(0);
  const shown = useRef(0);
  const selectRef = useRef(select);
  selectRef.current = select;

  const load = useCallback(
    async (after: string | null, first: number, fresh: boolean) => {
      const mine = after ? generation.current : ++generation.current;
      setState((s) => (after ? { ...s, loadingMore: true, error: null } : fresh ? initial<Node>() : s));
      const vars = { ...(JSON.parse(variablesKey) as object), first, after } as Variables;
      const result = await client.query(document, vars, { requestPolicy: "network-only" }).toPromise();
      if (mine !== generation.current) return; // newer variables or a newer refresh took over
      setState((s) => {
        if (result.error || !result.data)
          return { ...s, loading: false, loadingMore: false, error: result.error ?? null };
        const page = selectRef.current(result.data);
        const items = [...(after ? s.items : []), ...page.edges.map((edge) => edge.node)];
        shown.current = items.length;
        return {
          items,
          totalCount: page.totalCount,
          endCursor: page.pageInfo.endCursor ?? null,
          hasNextPage: page.pageInfo.hasNextPage,
          loading: false,
          loadingMore: false,
          error: null,
        };
      });
    },
    [client, document, variablesKey],
  );

  useEffect(() => {
    void load(null, pageSize, true);
  }, [load, pageSize]);

  // A live event: re-read what is shown, without blanking it meanwhile.
  useEffect(() => {
    if (revision > 0) void load(null, Math.max(pageSize, shown.current), false);
  }, [revision, load, pageSize]);

  return {
    ...state,
    reload: () => load(null, Math.max(pageSize, shown.current), false),
    loadMore: () => (state.endCursor ? load(state.endCursor, pageSize, false) : Promise.resolve()),
  };
}
