import { inSpan, SpanKind } from "@lotgraph/kit";
import { inMemoryTracing } from "@lotgraph/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cypherOperation, tracedCypher } from "./traced-cypher.ts";

/** A transaction's surface as the store uses it: `run` resolving to a result. */
class FakeTransaction {
  readonly ran: string[] = [];
  #open = true;
  run(query: string, _parameters?: Record<string, unknown>): Promise<{ records: unknown[] }> {
    this.ran.push(query);
    return query.includes("BROKEN") ? Promise.reject(new Error("syntax error")) : Promise.resolve({ records: [] });
  }
  isOpen(): boolean {
    return this.#open;
  }
}

describe("tracedCypher", () => {
  let tracing: ReturnType<typeof inMemoryTracing>;
  beforeAll(() => {
    tracing = inMemoryTracing();
  });
  afterAll(() => tracing.stop());

  it("names a statement by its first clause", () => {
    expect(cypherOperation("  // lock\n MATCH (l:Lot) RETURN l")).toBe("MATCH");
    expect(cypherOperation("UNWIND $ids AS id MERGE (l:Lot {id: id})")).toBe("UNWIND");
    expect(cypherOperation("")).toBe("CYPHER");
  });

  it("makes a client span per statement within a traced operation, with the text and no parameters", async () => {
    tracing.exporter.reset();
    const tx = tracedCypher(new FakeTransaction());
    await tx.run("MATCH (l:Lot) WHERE l.id IN $lotIds RETURN l.id", { lotIds: ["secret-lot"] });
    expect(tracing.exporter.getFinishedSpans()).toEqual([]); // outside an operation: no span
    await inSpan("trace query", { kind: SpanKind.SERVER }, async () => {
      await tx.run("MATCH (l:Lot) WHERE l.id IN $lotIds RETURN l.id", { lotIds: ["secret-lot"] });
      await expect(tx.run("BROKEN")).rejects.toThrow("syntax error");
    });
    expect(tx.isOpen()).toBe(true); // everything but run passes through
    const spans = tracing.exporter.getFinishedSpans();
    const parent = spans.find((span) => span.name === "trace query")!;
    const [match, broken] = spans.filter((span) => span.attributes["db.system"] === "neo4j");
    expect(match!.name).toBe("MATCH");
    expect(match!.kind).toBe(SpanKind.CLIENT);
    expect(match!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(match!.attributes["db.statement"]).toBe("MATCH (l:Lot) WHERE l.id IN $lotIds RETURN l.id");
    expect(JSON.stringify(match!.attributes)).not.toContain("secret-lot");
    expect(broken!.status.code).toBe(2);
  });
});
