import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The module specifiers `file` (in this folder) imports or re-exports. */
function importsOf(file: string): string[] {
  const source = readFileSync(new URL(file, import.meta.url), "utf8");
  return [...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gm)].map((match) => match[1] ?? "");
}

describe("@lotgraph/kit/quantity", () => {
  it("reaches only files of this folder, so a browser bundle can compile it (no node:, zod, graphql, pg)", () => {
    const seen = new Set<string>();
    const pending = ["./index.ts"];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of importsOf(file)) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[\w-]+\.ts$/);
        pending.push(specifier);
      }
    }
    expect([...seen].sort()).toEqual(["./decimal-text.ts", "./index.ts", "./quantity.ts"]);
  });

  it("exports the exact quantity", async () => {
    const { Quantity } = await import("@lotgraph/kit/quantity");
    expect(Quantity.sum(["0.1", "0.2"]).toFixed()).toBe("0.3");
  });
});
