"use client";

import { useState } from "react";
import { useClient, type CombinedError } from "urql";
import type { LotDetailQuery } from "@/gql/graphql";
import { LotMovementsQuery } from "./operations";

type Movements = NonNullable<LotDetailQuery["lot"]>["movements"];
export type Movement = Movements["edges"][number]["node"];

/** The lot's ledger: the first page comes with the lot; "load more" appends the next ones. */
export function useLedger(code: string, first: Movements) {
  const client = useClient();
  const [more, setMore] = useState<Movement[]>([]);
  const [page, setPage] = useState(first.pageInfo);
  const [state, setState] = useState<{ loading: boolean; error: CombinedError | null }>({
    loading: false,
    error: null,
  });

  async function loadMore() {
    setState({ loading: true, error: null });
    const result = await client
      .query(LotMovementsQuery, { code, after: page.endCursor ?? null }, { requestPolicy: "network-only" })
      .toPromise();
    const movements = result.data?.lot?.movements;
    if (!movements) return setState({ loading: false, error: result.error ?? null });
    setMore((m) => [...m, ...movements.edges.map((e) => e.node)]);
    setPage(movements.pageInfo);
    setState({ loading: false, error: null });
  }

  return {
    movements: [...first.edges.map((e) => e.node), ...more],
    totalCount: first.totalCount,
    hasNextPage: page.hasNextPage,
    loadMore,
    ...state,
  };
}
