/**
 * Time spans of the FSMA 204 spreadsheet: the FDA asks for the records of "a specified period of
 * time", and a product's year of events is read a span at a time.
 */

/** A half-open span [from, to): an event exactly at `to` belongs to the next one. null = open. */
export interface TimeRange {
  from: Date | null;
  to: Date | null;
}

/** A span with both ends. */
export interface BoundedRange {
  from: Date;
  to: Date;
}

/** The number of events of one UTC day (`YYYY-MM-DD`), as the reads count them. */
export interface EventDay {
  day: string;
  events: number;
}

const DAY_MS = 86_400_000;

/** Whether an instant lies in the span: from included, to excluded. */
export function withinRange(at: Date, range: TimeRange): boolean {
  const time = at.getTime();
  return (range.from === null || time >= range.from.getTime()) && (range.to === null || time < range.to.getTime());
}

/**
 * Cuts `range` into consecutive spans of about `pageSize` events each (more when one day alone
 * holds more), every inner boundary at a UTC midnight. The spreadsheet sorts by UTC date first,
 * so spans that never split a day can be sorted and sent one after the other. The spans cover
 * the whole range from the first to the last (an event recorded meanwhile is not lost between
 * two of them); none when `days` is empty.
 */
export function spansOfDays(days: readonly EventDay[], range: BoundedRange, pageSize: number): BoundedRange[] {
  const sorted = [...days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const spans: BoundedRange[] = [];
  let from = range.from;
  let count = 0;
  sorted.forEach((day, index) => {
    count += day.events;
    const last = index === sorted.length - 1;
    if (count < pageSize && !last) return;
    const nextMidnight = new Date(Date.parse(`${day.day}T00:00:00.000Z`) + DAY_MS);
    const to = last || nextMidnight >= range.to ? range.to : nextMidnight;
    if (to > from) spans.push({ from, to });
    from = to;
    count = 0;
  });
  return spans;
}
