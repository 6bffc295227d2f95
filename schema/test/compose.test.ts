import { describe, expect, it } from "vitest";
import { findApiChanges } from "../src/breaking.ts";
import { checkComposition, planWrite } from "../src/check.ts";
import { composeSupergraph } from "../src/compose.ts";
import type { ComposeResult } from "../src/compose.ts";
import { renderGeneratedFiles } from "../src/files.ts";
import type { SubgraphSdl } from "../src/subgraphs.ts";
import { subgraphs } from "../src/subgraphs.ts";

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7",
  import: ["@key", "@shareable", "@inaccessible", "@external", "@requires"])`;

const inventory: SubgraphSdl = {
  name: "inventory",
  url: "http://localhost:4002/graphql",
  sdl: `${LINK}
    type Query { lot(id: ID!): Lot }
    type Lot @key(fields: "id") {
      id: ID!
      code: String!
      quantity: String!
      internalCost: Float @inaccessible
    }`,
};

const traceability: SubgraphSdl = {
  name: "traceability",
  url: "http://localhost:4005/graphql",
  sdl: `${LINK}
    type Lot @key(fields: "id") {
      id: ID!
      parents: [Lot!]!
      children: [Lot!]!
    }`,
};

/** Composes and asserts success, printing the errors when it fails. */
function composeOk(list: readonly SubgraphSdl[]): ComposeResult & { apiSchemaSdl: string } {
  const result = composeSupergraph(list);
  expect(result.errors, JSON.stringify(result.errors, null, 2)).toEqual([]);
  const { apiSchemaSdl } = result;
  if (apiSchemaSdl === undefined) throw new Error("no API schema despite no errors");
  return { ...result, apiSchemaSdl };
}

/** The committed files as `npm run compose` would have written them. */
function committedFor(result: ComposeResult): {
  supergraph: string;
  api: string;
} {
  if (result.supergraphSdl === undefined || result.apiSchemaSdl === undefined) {
    throw new Error("composition failed");
  }
  return renderGeneratedFiles(result.supergraphSdl, result.apiSchemaSdl);
}

describe("composeSupergraph", () => {
  it("composes subgraphs that share the Lot entity", () => {
    const result = composeOk([inventory, traceability]);
    expect(result.supergraphSdl).toContain('@join__type(graph: INVENTORY, key: "id")');
    expect(result.supergraphSdl).toContain('@join__type(graph: TRACEABILITY, key: "id")');
    expect(result.supergraphSdl).toContain('url: "http://localhost:4005/graphql"');
    expect(result.apiSchemaSdl).toMatch(/type Lot \{[^}]*children: \[Lot!\]![^}]*parents: \[Lot!\]!/);
    expect(result.apiSchemaSdl).not.toMatch(/join__|link__|@key/);
  });

  it("reports conflicting field types across subgraphs", () => {
    const conflicting: SubgraphSdl = {
      ...traceability,
      sdl: `${LINK}
        type Lot @key(fields: "id") { id: ID! quantity: Int! @shareable }`,
    };
    const shareable = {
      ...inventory,
      sdl: inventory.sdl.replace("quantity: String!", "quantity: String! @shareable"),
    };
    const result = composeSupergraph([shareable, conflicting]);
    expect(result.supergraphSdl).toBeUndefined();
    expect(result.errors.map((e) => e.code)).toContain("FIELD_TYPE_MISMATCH");
    expect(result.errors[0]?.message).toContain("Lot.quantity");
  });

  it("reports SDL syntax errors with the subgraph name instead of throwing", () => {
    const result = composeSupergraph([{ ...traceability, sdl: "type Lot {" }]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: "INVALID_GRAPHQL",
        message: expect.stringContaining("[traceability]"),
      }),
    ]);
  });

  it("leaves @inaccessible fields out of the API schema", () => {
    const result = composeOk([inventory, traceability]);
    expect(result.supergraphSdl).toContain("internalCost");
    expect(result.apiSchemaSdl).not.toContain("internalCost");
  });

  it("prints the API schema independently of subgraph order", () => {
    expect(composeOk([traceability, inventory]).apiSchemaSdl).toBe(composeOk([inventory, traceability]).apiSchemaSdl);
  });
});

describe("findApiChanges", () => {
  const before = composeOk([inventory, traceability]).apiSchemaSdl;

  it("reports a removed field as breaking", () => {
    const without = {
      ...traceability,
      sdl: traceability.sdl.replace("children: [Lot!]!", ""),
    };
    const after = composeOk([inventory, without]).apiSchemaSdl;
    expect(findApiChanges(before, after).breaking).toEqual(["FIELD_REMOVED: Lot.children was removed."]);
  });

  it("does not report an added field", () => {
    const withMore = {
      ...traceability,
      sdl: traceability.sdl.replace("children:", "depth: Int\n children:"),
    };
    const after = composeOk([inventory, withMore]).apiSchemaSdl;
    expect(findApiChanges(before, after)).toEqual({
      breaking: [],
      dangerous: [],
    });
  });
});

describe("checkComposition", () => {
  const composed = composeOk([inventory, traceability]);
  const committed = committedFor(composed);

  it("passes when the committed files match", () => {
    expect(checkComposition({ composed, committed, allowBreaking: false })).toEqual({
      ok: true,
      failures: [],
      warnings: [],
    });
  });

  it("reports stale and missing files with the fix and the first differing lines", () => {
    const changed = composeOk([
      inventory,
      {
        ...traceability,
        sdl: traceability.sdl.replace("children:", "depth: Int\n children:"),
      },
    ]);
    const report = checkComposition({
      composed: changed,
      committed: { supergraph: undefined, api: committed.api },
      allowBreaking: false,
    });
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toBe(
      "schema/supergraph.graphql is missing. Run `npm run compose` and commit the result.",
    );
    expect(report.failures[1]).toContain("schema/api.graphql is stale. Run `npm run compose`");
    expect(report.failures[1]).toContain("+   depth: Int");
  });

  it("ignores CRLF line endings in committed files", () => {
    const crlf = {
      supergraph: committed.supergraph.replace(/\n/g, "\r\n"),
      api: committed.api,
    };
    expect(checkComposition({ composed, committed: crlf, allowBreaking: false }).ok).toBe(true);
  });

  it("fails on breaking changes unless allowed", () => {
    const without = {
      ...traceability,
      sdl: traceability.sdl.replace("children: [Lot!]!", ""),
    };
    const next = composeOk([inventory, without]);
    // Recomposed and written, so only the baseline (what clients use today) reveals the break.
    const input = {
      composed: next,
      committed: committedFor(next),
      baselineApi: committed.api,
    };

    const strict = checkComposition({ ...input, allowBreaking: false });
    expect(strict.ok).toBe(false);
    expect(strict.failures[0]).toContain("FIELD_REMOVED: Lot.children was removed.");

    const allowed = checkComposition({ ...input, allowBreaking: true });
    expect(allowed.ok).toBe(true);
    expect(allowed.warnings[0]).toContain("FIELD_REMOVED: Lot.children was removed.");
  });

  it("fails with the composition errors when composition fails", () => {
    const broken = composeSupergraph([{ ...traceability, sdl: "type Lot {" }]);
    const report = checkComposition({
      composed: broken,
      committed,
      allowBreaking: true,
    });
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatch(/^composition error INVALID_GRAPHQL: \[traceability\]/);
  });
});

describe("planWrite", () => {
  it("renders both files with the generated header and warns about breaking changes", () => {
    const previous = committedFor(composeOk([inventory, traceability])).api;
    const without = {
      ...traceability,
      sdl: traceability.sdl.replace("parents: [Lot!]!", ""),
    };
    const plan = planWrite(composeOk([inventory, without]), previous);
    expect(plan.ok).toBe(true);
    expect(plan.files?.supergraph).toMatch(/^# .*\n# Generated by `npm run compose`.*Do not edit\./);
    expect(plan.warnings.join("\n")).toContain("FIELD_REMOVED: Lot.parents was removed.");
  });
});

describe("subgraphs", () => {
  it("lists the five subgraphs and the gateway's live layer, with module-relative SDL paths", () => {
    expect(subgraphs.map((s) => `${s.name} ${s.url}`)).toEqual([
      "identity http://localhost:4001/graphql",
      "inventory http://localhost:4002/graphql",
      "production http://localhost:4003/graphql",
      "quality http://localhost:4004/graphql",
      "traceability http://localhost:4005/graphql",
      "live http://localhost:4000/graphql",
    ]);
    for (const s of subgraphs.filter((s) => s.name !== "live")) {
      expect(s.sdlPath).toMatch(new RegExp(`/subgraphs/${s.name}/schema\\.graphql$`));
    }
    expect(subgraphs.find((s) => s.name === "live")?.sdlPath).toMatch(/\/gateway\/live\.graphql$/);
  });
});
