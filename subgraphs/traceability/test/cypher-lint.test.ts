/**
 * Offline validation of the Neo4j adapter's Cypher (no Neo4j server in CI): every statement of
 * neo4j-queries.ts goes through Neo4j's own parser and semantic analysis
 * (@neo4j-cypher/language-support `lintCypherQuery`) and must come out without a diagnostic,
 * and every variable-length pattern must be directed and bounded (the lint accepts `*` and
 * undirected patterns, so that rule is checked here). Broken statements prove the lint bites.
 */
import { lintCypherQuery } from "@neo4j-cypher/language-support";
import { describe, expect, it } from "vitest";
import { ALL_QUERIES, hops } from "../src/genealogy/neo4j/neo4j-queries.ts";

/** Declares the statement's own `$parameters`, so only real mistakes are reported. */
function lint(query: string): string[] {
  const parameters = Object.fromEntries([...query.matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => [m[1], null]));
  return lintCypherQuery(query, { parameters }).diagnostics.map((d) => `${d.message} (at ${d.offsets.start})`);
}

/** Variable-length relationship patterns that are not `-[…*1..N]->` or `<-[…*1..N]-`. */
function unboundedOrUndirected(query: string): string[] {
  const bad: string[] = [];
  for (const match of query.matchAll(/(<?-)\[([^\]]*\*[^\]]*)\](->?)/g)) {
    const [pattern, left, body, right] = match;
    const bounded = /\*\d+\.\.\d+$/.test(body!.trim());
    const directed = (left === "<-") !== (right === "->");
    if (!bounded || !directed) bad.push(pattern);
  }
  return bad;
}

describe("Neo4j genealogy Cypher", () => {
  it.each(Object.entries(ALL_QUERIES))("%s parses and passes semantic analysis", (_name, query) => {
    expect(lint(query), query).toEqual([]);
  });

  it.each(Object.entries(ALL_QUERIES))("%s bounds and directs every variable-length pattern", (_name, query) => {
    expect(unboundedOrUndirected(query), query).toEqual([]);
  });

  it("catches broken statements", () => {
    expect(lint("MATCH (l:Lot {lotId: $lotId) RETURN l")).not.toEqual([]); // syntax
    expect(lint("MATCH (l:Lot) RETURN x")).not.toEqual([]); // undefined variable
    expect(lint("MATCH (a)-[:PARENT_OF*1..$max]->(b) RETURN b")).not.toEqual([]); // a parameter as a bound
    expect(unboundedOrUndirected("MATCH (a)-[:PARENT_OF*]->(b) RETURN b")).toHaveLength(1);
    expect(unboundedOrUndirected("MATCH (a)-[:PARENT_OF*1..5]-(b) RETURN b")).toHaveLength(1);
    expect(unboundedOrUndirected("MATCH (a)<-[:PARENT_OF*1..5]-(b) RETURN b")).toEqual([]);
  });

  it("builds hop bounds only from checked integers", () => {
    expect(hops(10)).toBe("*1..10");
    for (const bad of [0, -1, 1.5, Number.NaN, 10_001]) expect(() => hops(bad)).toThrow(RangeError);
  });
});
