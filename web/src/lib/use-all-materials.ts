"use client";

import { useEffect, useState } from "react";
import { useClient } from "urql";
import { graphql } from "@/gql";
import type { AllMaterialsQuery as AllMaterials } from "@/gql/graphql";

export type MaterialChoice = AllMaterials["materials"]["edges"][number]["node"];

const AllMaterialsQuery = graphql(`
  query AllMaterials($after: String) {
    materials(first: 100, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          sku
          name
          uom
          kind
          tracking
        }
      }
    }
  }
`);

/**
 * Every material, a page at a time, for a picker (a product to plan, a material to receive): a
 * picker must offer every material, not the first hundred.
 */
export function useAllMaterials() {
  const client = useClient();
  const [materials, setMaterials] = useState<MaterialChoice[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const [hasMore, setHasMore] = useState(true);
  useEffect(() => {
    if (!hasMore || cursor === null) return;
    let cancelled = false;
    void client
      .query(AllMaterialsQuery, { after: cursor ?? null }, { requestPolicy: "network-only" })
      .toPromise()
      .then((result) => {
        if (cancelled) return;
        const page = result.data?.materials;
        if (!page) return setFailed(true);
        setMaterials((m) => [...m, ...page.edges.map((e) => e.node)]);
        setHasMore(page.pageInfo.hasNextPage);
        setCursor(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
      });
    return () => {
      cancelled = true;
    };
  }, [client, cursor, hasMore]);
  return { materials, loading: hasMore && !failed, failed };
}
