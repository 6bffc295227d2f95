import { describe, expect, it } from "vitest";
import { spansOfDays, withinRange, type EventDay } from "./fsma204-window.ts";

const at = (iso: string) => new Date(iso);

describe("withinRange", () => {
  const range = { from: at("2026-03-01T00:00:00+01:00"), to: at("2026-03-02T00:00:00+01:00") };

  it("includes an event exactly at from and excludes one exactly at to", () => {
    expect(withinRange(at("2026-02-28T23:00:00.000Z"), range)).toBe(true);
    expect(withinRange(at("2026-03-01T23:00:00.000Z"), range)).toBe(false);
    expect(withinRange(at("2026-03-01T22:59:59.999Z"), range)).toBe(true);
    expect(withinRange(at("2026-02-28T22:59:59.999Z"), range)).toBe(false);
  });

  it("compares instants, whatever zone they were written in", () => {
    // 23:30 on 28 February in UTC is already 1 March in Paris: inside.
    expect(withinRange(at("2026-02-28T23:30:00Z"), range)).toBe(true);
    expect(withinRange(at("2026-03-01T18:30:00-05:00"), range)).toBe(false);
  });

  it("leaves an end open when it is null", () => {
    expect(withinRange(at("1999-01-01T00:00:00Z"), { from: null, to: range.to })).toBe(true);
    expect(withinRange(at("2999-01-01T00:00:00Z"), { from: range.from, to: null })).toBe(true);
    expect(withinRange(at("2026-02-28T22:00:00Z"), { from: range.from, to: null })).toBe(false);
  });
});

describe("spansOfDays", () => {
  const range = { from: at("2026-03-01T06:00:00Z"), to: at("2026-03-10T12:00:00Z") };
  const days = (...counts: Array<[number, number]>): EventDay[] =>
    counts.map(([day, events]) => ({ day: `2026-03-${String(day).padStart(2, "0")}`, events }));
  const iso = (spans: ReturnType<typeof spansOfDays>) => spans.map((s) => [s.from.toISOString(), s.to.toISOString()]);

  it("reads nothing when no day holds an event", () => {
    expect(spansOfDays([], range, 10)).toEqual([]);
  });

  it("takes the whole range in one span when it holds fewer events than a page", () => {
    expect(iso(spansOfDays(days([2, 3], [5, 4]), range, 10))).toEqual([
      ["2026-03-01T06:00:00.000Z", "2026-03-10T12:00:00.000Z"],
    ]);
  });

  it("cuts at the midnight after the day that fills a page, never inside a day", () => {
    expect(iso(spansOfDays(days([1, 4], [3, 7], [4, 1], [8, 20], [10, 2]), range, 10))).toEqual([
      ["2026-03-01T06:00:00.000Z", "2026-03-04T00:00:00.000Z"],
      // A day larger than a page is a span of its own (with what came before it).
      ["2026-03-04T00:00:00.000Z", "2026-03-09T00:00:00.000Z"],
      ["2026-03-09T00:00:00.000Z", "2026-03-10T12:00:00.000Z"],
    ]);
  });

  it("covers the range without gaps, whatever order the days come in", () => {
    const spans = spansOfDays(days([9, 5], [2, 5], [6, 5], [4, 5]), range, 5);
    expect(spans[0]?.from).toEqual(range.from);
    expect(spans.at(-1)?.to).toEqual(range.to);
    spans.slice(1).forEach((span, index) => expect(span.from).toEqual(spans[index]?.to));
    expect(spans).toHaveLength(4);
  });

  it("ends a span at `to` when the range ends before the next midnight", () => {
    const short = { from: at("2026-03-01T06:00:00Z"), to: at("2026-03-01T18:00:00Z") };
    expect(iso(spansOfDays(days([1, 50]), short, 10))).toEqual([
      ["2026-03-01T06:00:00.000Z", "2026-03-01T18:00:00.000Z"],
    ]);
  });
});
