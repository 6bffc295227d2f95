"use client";

import {
  Background,
  Controls,
  Handle,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  ReactFlowProvider,
  type Edge,
  type Node,
  type NodeProps,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { memo, useEffect, useMemo, useState } from "react";
import { formatDecimal } from "@/lib/format";
import { DEFAULT_LAYOUT_SIZE, layoutTrace } from "./trace-layout";
import type { TraceLink, TracedLot } from "./use-trace";
import styles from "./trace.module.css";

type LotNodeData = TracedLot & { root: boolean };
type LotNode = Node<LotNodeData, "lot">;

/** Up to this many lots the whole trace is fitted on screen; beyond, the view opens on the root. */
const FIT_ALL_UP_TO = 60;
/** A trace this small gets a shorter canvas, so the page does not open on empty space. */
const SMALL_TRACE = 8;
/** How many lots around the root the first view shows when the trace is larger than that. */
const FIRST_VIEW_LOTS = 16;

const STATUS_LABEL: Record<string, string> = {
  AVAILABLE: "Available",
  QUARANTINE: "Quarantine",
  ON_HOLD: "On hold",
  CONSUMED: "Consumed",
  SHIPPED: "Shipped",
  SCRAPPED: "Scrapped",
};
const QUALITY_LABEL: Record<string, string> = {
  PENDING: "QC pending",
  PASSED: "QC passed",
  ON_HOLD: "QC hold",
  REJECTED: "Rejected",
};
const label = (table: Record<string, string>, value: string) =>
  table[value] ?? value.replaceAll("_", " ").toLowerCase();

/**
 * One lot in the graph. The fill says the lot's stock status, the left bar its quality status, so
 * a held lot downstream of a rejected one reads at a glance; the words say both again for anyone
 * who cannot tell the colours apart. The code is a link, so the graph works from the keyboard.
 */
const LotNodeView = memo(function LotNodeView({ data }: NodeProps<LotNode>) {
  return (
    <div
      className={`${styles.node} ${styles[`status_${data.status}`] ?? ""} ${styles[`quality_${data.qualityStatus}`] ?? ""} ${data.root ? styles.rootNode : ""} ${data.note ? styles.notedNode : ""}`}
      data-testid="trace-node"
      data-lot-code={data.code}
    >
      <Handle type="target" position={Position.Left} className={styles.handle} isConnectable={false} />
      <span className={styles.nodeTop}>
        <Link href={`/lots/${encodeURIComponent(data.code)}`} className={styles.nodeCode}>
          {data.code}
        </Link>
        {data.note && <span className={styles.nodeNote}>{data.note}</span>}
      </span>
      <span className={styles.nodeMaterial}>{data.materialName}</span>
      <span className={styles.nodeFacts}>
        {formatDecimal(data.quantity)} {data.uom} · {label(STATUS_LABEL, data.status)}
      </span>
      <span className={styles.nodeFacts}>{label(QUALITY_LABEL, data.qualityStatus)}</span>
      <Handle type="source" position={Position.Right} className={styles.handle} isConnectable={false} />
    </div>
  );
});

const NODE_TYPES = { lot: LotNodeView };

/**
 * A genealogy drawn left to right. `rootIds` are the lots it starts from (a trace's lot; a
 * recall's source lots), outlined; a lot's `note` ("Found later") is shown on it.
 */
export function TraceGraph({
  lots,
  links,
  rootIds,
  label = "Genealogy graph",
}: {
  lots: TracedLot[];
  links: TraceLink[];
  rootIds: readonly string[];
  label?: string;
}) {
  const router = useRouter();
  // By value: a caller may pass a new array of the same roots on every render.
  const rootKey = rootIds.join(" ");
  const { nodes, edges, firstView } = useMemo(
    () => toFlow(lots, links, rootKey ? rootKey.split(" ") : []),
    [lots, links, rootKey],
  );
  // The overview draws every lot; it follows the graph by a frame instead of delaying it.
  const large = nodes.length > FIT_ALL_UP_TO;
  const [showOverview, setShowOverview] = useState(false);
  useEffect(() => {
    if (!large) return;
    const frame = requestAnimationFrame(() => setShowOverview(true));
    return () => cancelAnimationFrame(frame);
  }, [large]);
  return (
    <div
      className={`${styles.graph} ${nodes.length <= SMALL_TRACE ? styles.graphSmall : ""}`}
      data-testid="trace-graph"
      role="region"
      aria-label={label}
    >
      <ReactFlowProvider>
        <ReactFlow<LotNode, Edge>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          fitView
          fitViewOptions={{ nodes: firstView, maxZoom: 1.1, padding: 0.15 }}
          minZoom={0.05}
          maxZoom={1.5}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          onlyRenderVisibleElements={large}
          onNodeClick={(_, node) => router.push(`/lots/${encodeURIComponent(node.data.code)}`)}
        >
          <Background gap={24} color="#d5dde8" />
          <Controls showInteractive={false} aria-label="Zoom" />
          {large && showOverview && (
            <MiniMap<LotNode> pannable zoomable nodeColor={miniMapColour} ariaLabel="Overview of the whole trace" />
          )}
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}

function miniMapColour(node: LotNode): string {
  if (node.data.root) return "#1d5fa8";
  if (node.data.status === "ON_HOLD" || node.data.qualityStatus === "REJECTED") return "#d64545";
  if (node.data.status === "QUARANTINE") return "#f0b848";
  return "#9aa6b5";
}

const NODE_HANDLES = [
  {
    type: "target" as const,
    position: Position.Left,
    x: 0,
    y: DEFAULT_LAYOUT_SIZE.nodeHeight / 2,
    width: 1,
    height: 1,
  },
  {
    type: "source" as const,
    position: Position.Right,
    x: DEFAULT_LAYOUT_SIZE.nodeWidth - 1,
    y: DEFAULT_LAYOUT_SIZE.nodeHeight / 2,
    width: 1,
    height: 1,
  },
];

function toFlow(lots: TracedLot[], links: TraceLink[], rootIds: readonly string[]) {
  const roots = new Set(rootIds);
  const positions = layoutTrace(
    lots.map((lot) => ({ id: lot.id, layer: lot.layer, sortKey: lot.code })),
    links,
  );
  // Sizes and handles given up front: React Flow can then place, cull and fit a large trace
  // without measuring 2,000 nodes in the DOM first (it measured each before drawing any).
  const nodes: LotNode[] = lots.map((lot) => ({
    id: lot.id,
    type: "lot",
    position: positions.get(lot.id) ?? { x: 0, y: 0 },
    width: DEFAULT_LAYOUT_SIZE.nodeWidth,
    height: DEFAULT_LAYOUT_SIZE.nodeHeight,
    handles: NODE_HANDLES,
    data: { ...lot, root: roots.has(lot.id) },
  }));
  const held = new Set(lots.filter((lot) => lot.status === "ON_HOLD").map((lot) => lot.id));
  const edges: Edge[] = links.map((link) => ({
    id: `${link.parent}>${link.child}`,
    source: link.parent,
    target: link.child,
    type: "smoothstep",
    markerEnd: {
      type: MarkerType.ArrowClosed,
      width: 16,
      height: 16,
      color: held.has(link.child) ? "#d64545" : "#8a97a8",
    },
    // A link into a held lot is drawn in the hold's colour: it is the path the hold travelled.
    style: held.has(link.child) ? { stroke: "#d64545", strokeWidth: 2 } : { stroke: "#8a97a8", strokeWidth: 1.5 },
  }));
  const root = positions.get(rootIds[0] ?? "") ?? { x: 0, y: 0 };
  const distance = (id: string) => {
    const p = positions.get(id) ?? root;
    return Math.hypot((p.x - root.x) / 2, p.y - root.y);
  };
  const firstView =
    nodes.length <= FIT_ALL_UP_TO
      ? undefined
      : [...nodes]
          .sort((a, b) => distance(a.id) - distance(b.id))
          .slice(0, FIRST_VIEW_LOTS)
          .map((node) => ({ id: node.id }));
  return { nodes, edges, firstView };
}
