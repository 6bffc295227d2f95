import type { Principal } from "@lotgraph/kit";
import { describe, expect, it } from "vitest";
import { ChangeFeed, FEED_SERVICES, type ChangeSource, type FeedService } from "./change-feed.ts";

/** A service history held in memory: positions are "1:<index>", the order is the array's. */
function history(service: string, times: number[]): ChangeSource & { asked: Array<string | null> } {
  const changes = times.map((t, index) => ({
    position: `1:${index + 1}`,
    id: `${service}-${index + 1}`,
    subject: `lotgraph.${service}.thing.made`,
    occurredAt: new Date(t),
    entityType: "Thing",
    entityId: `${service}-${index + 1}`,
    payload: {},
  }));
  const asked: Array<string | null> = [];
  return {
    asked,
    async page(after, first) {
      asked.push(after);
      const from = after ? Number(after.split(":")[1]) : 0;
      return { changes: changes.slice(from, from + first), hasMore: from + first < changes.length };
    },
    count: async () => changes.length,
  };
}

const admin: Principal = { kind: "user", id: "u1", name: "Ada", roles: ["ADMIN"] } as Principal;
const viewer: Principal = { kind: "user", id: "u2", name: "Vic", roles: ["VIEWER"] } as Principal;

function feedOf(times: Partial<Record<FeedService, number[]>>) {
  const sources = Object.fromEntries(FEED_SERVICES.map((s) => [s, history(s, times[s] ?? [])])) as Record<
    FeedService,
    ReturnType<typeof history>
  >;
  return { feed: new ChangeFeed(sources), sources };
}

async function readAll(feed: ChangeFeed, caller: Principal, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Awaited<ReturnType<ChangeFeed["page"]>> = await feed.page(caller, { after, first });
    ids.push(...page.edges.map((edge) => edge.change.id));
    after = page.endCursor;
    if (!page.hasNextPage) return ids;
  }
}

describe("ChangeFeed", () => {
  it("interleaves services by time without ever reordering one service's own changes", async () => {
    // inventory's second change committed after its third but carries an earlier clock reading.
    const { feed } = feedOf({ inventory: [10, 40, 30], quality: [20, 35] });
    expect(await readAll(feed, admin, 100)).toEqual([
      "inventory-1",
      "quality-1",
      "quality-2",
      "inventory-2",
      "inventory-3",
    ]);
  });

  it("reads the same sequence whatever the page size, each change once", async () => {
    const { feed } = feedOf({ identity: [1, 9], inventory: [2, 3, 4, 8], production: [5], quality: [6, 7] });
    const whole = await readAll(feed, admin, 1000);
    expect(whole).toHaveLength(9);
    for (const first of [1, 2, 3, 4]) expect(await readAll(feed, admin, first)).toEqual(whole);
  });

  it("keeps its place in a service that had nothing new, and in identity for a caller who cannot read it", async () => {
    const { feed, sources } = feedOf({ identity: [1], inventory: [2] });
    const page = await feed.page(viewer, { first: 10 });
    expect(page.edges.map((edge) => edge.change.id)).toEqual(["inventory-1"]);
    expect(sources.identity.asked).toEqual([]);
    const next = await feed.page(admin, { after: page.endCursor, first: 10 });
    expect(next.edges.map((edge) => edge.change.id)).toEqual(["identity-1"]);
    const idle = await feed.page(admin, { after: next.endCursor, first: 10 });
    expect(idle.edges).toEqual([]);
    expect(idle.endCursor).toBe(next.endCursor);
    expect(await idle.totalCount()).toBe(2);
  });

  it("refuses a cursor it did not write and a page size out of range", async () => {
    const { feed } = feedOf({});
    await expect(feed.page(admin, { after: "garbage" })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    const foreign = Buffer.from(JSON.stringify({ v: 1, p: { inventory: "1; DROP" } })).toString("base64url");
    await expect(feed.page(admin, { after: foreign })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(feed.page(admin, { first: 0 })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(feed.page(null, {})).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
