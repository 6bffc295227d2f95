import { badInput } from "./errors.ts";

/** Arguments of every Relay connection field. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  /** How many rows to return (the query asks for one more to know `hasNextPage`). */
  limit: number;
  /** Decoded position after which the page starts, or null for the first page. */
  after: string[] | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null; hasPreviousPage: boolean; startCursor: string | null };
  totalCount: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Validates `first`/`after` into a keyset page; bad values are BAD_USER_INPUT. */
export function readPage(args: PageArgs): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput("first", `first must be an integer between 0 and ${MAX_PAGE_SIZE}`);
  }
  return { limit: first, after: args.after ? decodeCursor(args.after) : null };
}

/** Opaque cursor over the sort key of a row (e.g. `[createdAt, id]`). */
export function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  } catch {
    // fall through: any undecodable cursor is the caller's mistake
  }
  throw badInput("after", "after is not a cursor returned by this connection");
}

/**
 * Builds a connection from `limit + 1` rows fetched after the cursor: the extra row only tells
 * whether another page exists.
 */
export function toConnection<T>(rows: T[], page: Page, keyOf: (row: T) => string[], totalCount: number): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
    },
    totalCount,
  };
}
