"use client";

import type { WorkOrderFilter, WorkOrderRowFragment } from "@/gql/graphql";
import { usePaged } from "@/lib/use-paged";
import { WorkOrderListQuery } from "./operations";

export type WorkOrderRow = WorkOrderRowFragment;

const PAGE_SIZE = 20;

/** Work orders for a filter, newest first, a page at a time; a new filter starts over. */
export function useWorkOrders(filter: WorkOrderFilter) {
  const list = usePaged(WorkOrderListQuery, { filter }, (data) => data.workOrders, { pageSize: PAGE_SIZE });
  return {
    ...list,
    orders: list.items,
    /** After a change made here: the first page again, keeping the list on screen meanwhile. */
    refresh: list.reload,
  };
}
