import { readFileSync } from "node:fs";
import { buildSchema, parse, print, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ENTITY_ID_VARIABLE, liveOperationOf } from "./live-operation.ts";

const schema = buildSchema(readFileSync(new URL("../../../schema/api.graphql", import.meta.url), "utf8"));

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return "no error";
};

describe("liveOperationOf", () => {
  it("turns a subscription into a query on the event's entity, keeping alias, variables and fragments", () => {
    const document = parse(`
      subscription Floor($lot: ID, $withParents: Boolean!) {
        board: lotChanged(lotId: $lot) { ...Tile parents @include(if: $withParents) { code } }
      }
      fragment Tile on Lot { code status }
    `);
    const live = liveOperationOf(schema, document, "Floor", { lot: "lot-1", withParents: true });

    expect(live.binding.field).toBe("lotChanged");
    expect(live.args).toEqual({ lotId: "lot-1" });
    expect(live.responseKey).toBe("board");
    expect(print(live.query)).toBe(
      print(
        parse(`
          query Live_Floor($lot: ID, $withParents: Boolean!, $${ENTITY_ID_VARIABLE}: ID!) {
            board: lot(id: $${ENTITY_ID_VARIABLE}) { ...Tile parents @include(if: $withParents) { code } }
          }
          fragment Tile on Lot { code status }
        `),
      ),
    );
    // The federated query is itself valid against the API schema (the gateway plans it as is).
    expect(validate(schema, live.query).filter((e) => !/never used/.test(e.message))).toEqual([]);
  });

  it("refuses what the live layer cannot serve with BAD_USER_INPUT", () => {
    const of = (query: string) => () => liveOperationOf(schema, parse(query), null, {});
    expect(codeOf(of(`query { lots { totalCount } }`))).toBe("BAD_USER_INPUT");
    expect(codeOf(of(`subscription { ...S } fragment S on Subscription { holdPlaced { id } }`))).toBe("BAD_USER_INPUT");
    expect(
      codeOf(of(`subscription ($${ENTITY_ID_VARIABLE}: ID) { lotChanged(lotId: $${ENTITY_ID_VARIABLE}) { id } }`)),
    ).toBe("BAD_USER_INPUT");
  });
});
