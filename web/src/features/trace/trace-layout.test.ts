import { describe, expect, it } from "vitest";
import { DEFAULT_LAYOUT_SIZE, layoutTrace, type LayoutEdge, type LayoutNode } from "./trace-layout.ts";

const { nodeWidth, columnGap, nodeHeight, rowGap } = DEFAULT_LAYOUT_SIZE;
const column = nodeWidth + columnGap;
const pitch = nodeHeight + rowGap;
const node = (id: string, layer: number): LayoutNode => ({ id, layer, sortKey: id });

describe("layoutTrace", () => {
  it("puts ancestors left of the root and descendants right, one column per link", () => {
    const positions = layoutTrace(
      [node("root", 0), node("flour", -1), node("wheat", -2), node("bread", 1)],
      [
        { parent: "wheat", child: "flour" },
        { parent: "flour", child: "root" },
        { parent: "root", child: "bread" },
      ],
    );
    expect(positions.get("root")).toEqual({ x: 0, y: 0 });
    expect(positions.get("flour")!.x).toBe(-column);
    expect(positions.get("wheat")!.x).toBe(-2 * column);
    expect(positions.get("bread")!.x).toBe(column);
    // A single lot in a column sits level with the root.
    expect(positions.get("bread")!.y).toBe(0);
  });

  it("orders a column by where each lot's parents sit, so links do not cross", () => {
    // Two parents, each with two children; alphabetically the children would interleave (a1 b1 a2 b2).
    const nodes = [
      node("root", 0),
      node("a", 1),
      node("b", 1),
      node("a1", 2),
      node("a2", 2),
      node("b1", 2),
      node("b2", 2),
    ];
    const edges: LayoutEdge[] = [
      { parent: "root", child: "a" },
      { parent: "root", child: "b" },
      { parent: "b", child: "b1" },
      { parent: "a", child: "a2" },
      { parent: "b", child: "b2" },
      { parent: "a", child: "a1" },
    ];
    const positions = layoutTrace(nodes, edges);
    const order = ["a1", "a2", "b1", "b2"].sort((x, y) => positions.get(x)!.y - positions.get(y)!.y);
    expect(order).toEqual(["a1", "a2", "b1", "b2"]);
    expect(positions.get("a")!.y).toBe(-pitch / 2);
    expect(positions.get("b")!.y).toBe(pitch / 2);
  });

  it("gives every lot its own place, also in a wide trace, and ignores links to lots outside it", () => {
    const nodes = [node("root", 0), ...Array.from({ length: 2000 }, (_, i) => node(`n${i}`, 1 + (i % 4)))];
    const edges = nodes.slice(1).map((n, i) => ({ parent: i < 4 ? "root" : `n${i - 4}`, child: n.id }));
    edges.push({ parent: "beyond-max-depth", child: "n0" });
    const positions = layoutTrace(nodes, edges);
    expect(positions.size).toBe(2001);
    const places = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(places.size).toBe(2001);
  });
});
