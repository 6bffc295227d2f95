import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.ts";
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  readPage,
  toConnection,
  type Page,
} from "./pagination.ts";

interface Row {
  id: string;
  at: string;
}
const rows: Row[] = ["a", "b", "c", "d"].map((id, i) => ({ id, at: `2026-01-0${i + 1}` }));
const keyOf = (row: Row) => [row.at, row.id];

function badInputField(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError && error.code === "BAD_USER_INPUT") return error.details.field;
    throw error;
  }
  throw new Error("expected BAD_USER_INPUT");
}

describe("readPage", () => {
  it("defaults to the first page of DEFAULT_PAGE_SIZE rows", () => {
    expect(readPage({})).toEqual({ limit: DEFAULT_PAGE_SIZE, after: null });
    expect(readPage({ first: null, after: null })).toEqual({ limit: DEFAULT_PAGE_SIZE, after: null });
  });

  it("accepts 0 through MAX_PAGE_SIZE and decodes the cursor", () => {
    expect(readPage({ first: 0 }).limit).toBe(0);
    expect(readPage({ first: MAX_PAGE_SIZE }).limit).toBe(MAX_PAGE_SIZE);
    expect(readPage({ first: 2, after: encodeCursor(["2026-01-01", "a"]) })).toEqual({
      limit: 2,
      after: ["2026-01-01", "a"],
    });
  });

  it("refuses a negative, fractional or too large first as BAD_USER_INPUT on first", () => {
    for (const first of [-1, 1.5, MAX_PAGE_SIZE + 1, Number.NaN]) {
      expect(badInputField(() => readPage({ first }))).toBe("first");
    }
  });

  it("refuses a cursor it did not issue as BAD_USER_INPUT on after", () => {
    const foreign = [
      "not a cursor",
      Buffer.from("{}").toString("base64url"),
      Buffer.from("[1,2]").toString("base64url"),
      Buffer.from('"a"').toString("base64url"),
    ];
    for (const after of foreign) expect(badInputField(() => readPage({ after }))).toBe("after");
  });
});

describe("cursors", () => {
  it("round-trip any sort key, including characters that need escaping", () => {
    const key = ["2026-11-21T08:30:00.000Z", 'id/with+odd"chars', "ünïcode"];
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
  });
});

describe("toConnection", () => {
  it("returns limit rows and says another page exists when the extra row was fetched", () => {
    const page: Page = { limit: 3, after: null };
    const connection = toConnection(rows, page, keyOf, 10);
    expect(connection.edges.map((e) => e.node.id)).toEqual(["a", "b", "c"]);
    expect(connection.totalCount).toBe(10);
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor(["2026-01-01", "a"]),
      endCursor: encodeCursor(["2026-01-03", "c"]),
    });
    expect(decodeCursor(connection.edges[1]?.cursor ?? "")).toEqual(["2026-01-02", "b"]);
  });

  it("says there is no next page when fewer than limit + 1 rows came back", () => {
    const connection = toConnection(rows.slice(2), { limit: 3, after: ["2026-01-02", "b"] }, keyOf, 4);
    expect(connection.edges.map((e) => e.node.id)).toEqual(["c", "d"]);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(connection.pageInfo.hasPreviousPage).toBe(true);
  });

  it("gives null cursors for an empty page", () => {
    const connection = toConnection<Row>([], { limit: 5, after: null }, keyOf, 0);
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it("pages through every row exactly once when each cursor feeds the next page", () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page = readPage({ first: 3, after });
      const start = page.after ? rows.findIndex((r) => keyOf(r).join() === page.after?.join()) + 1 : 0;
      const connection = toConnection(rows.slice(start, start + page.limit + 1), page, keyOf, rows.length);
      seen.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(["a", "b", "c", "d"]);
  });
});
