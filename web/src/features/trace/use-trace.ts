"use client";

import { useMemo } from "react";
import { useQuery } from "urql";
import type { TraceSideFragment as TraceSideData } from "@/gql/graphql";
import { TraceGraphQuery, TraceRootQuery } from "./operations";

export type TraceDirectionChoice = "both" | "upstream" | "downstream";

/** A lot in the trace with its column: −n for n links upstream of the root, +n downstream. */
// A type, not an interface: React Flow's node data must be assignable to Record<string, unknown>.
export type TracedLot = {
  id: string;
  code: string;
  materialName: string;
  quantity: string;
  uom: string;
  status: string;
  qualityStatus: string;
  layer: number;
  /** A word shown on the lot in the graph (a recall's "Found later"). */
  note?: string;
};

export interface TraceLink {
  parent: string;
  child: string;
  quantity: string | null;
}

/** The root lot by its code, then both sides of its genealogy, merged into one graph. */
export function useTrace(code: string, direction: TraceDirectionChoice, maxDepth: number) {
  const [root] = useQuery({ query: TraceRootQuery, variables: { code } });
  const lotId = root.data?.lot?.id;
  const [graph] = useQuery({
    query: TraceGraphQuery,
    variables: {
      lotId: lotId ?? "",
      maxDepth,
      upstream: direction !== "downstream",
      downstream: direction !== "upstream",
    },
    pause: !lotId,
  });
  const merged = useMemo(() => merge(graph.data?.upstream ?? null, graph.data?.downstream ?? null), [graph.data]);
  return {
    root,
    lot: root.data?.lot ?? null,
    graph: { fetching: graph.fetching || (!graph.data && !graph.error && Boolean(lotId)), error: graph.error },
    ...merged,
  };
}

function merge(upstream: TraceSideData | null, downstream: TraceSideData | null) {
  const lots = new Map<string, TracedLot>();
  const links = new Map<string, TraceLink>();
  const add = (side: TraceSideData | null, sign: 1 | -1) => {
    if (!side) return;
    for (const node of side.nodes) {
      const lot = node.lot;
      if (lots.has(lot.id)) continue;
      lots.set(lot.id, {
        id: lot.id,
        code: lot.code,
        materialName: lot.material.name,
        quantity: lot.quantity,
        uom: lot.uom,
        status: lot.status,
        qualityStatus: lot.qualityStatus,
        layer: sign * node.depth,
      });
    }
    for (const edge of side.edges) {
      const key = `${edge.parent.id}>${edge.child.id}`;
      if (!links.has(key))
        links.set(key, { parent: edge.parent.id, child: edge.child.id, quantity: edge.quantity ?? null });
    }
  };
  add(downstream, 1);
  add(upstream, -1);
  return {
    lots: [...lots.values()],
    links: [...links.values()],
    truncated: { upstream: upstream?.truncated ?? false, downstream: downstream?.truncated ?? false },
  };
}
