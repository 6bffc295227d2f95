import { z } from "zod";
import { badInput, id, parseInput } from "@lotgraph/kit";
import type { TraceDirection } from "../../genealogy/port/genealogy-store.ts";
import type { BoundedRange, TimeRange } from "./fsma204-window.ts";

/** The parameters of `GET /exports/fsma204.csv` as sent: text, or absent. */
export type Fsma204Query = Partial<
  Record<"lotId" | "supplierLotCode" | "productId" | "direction" | "from" | "to", string | null>
>;

/** What the spreadsheet is about (its events are then narrowed to the request's range). */
export type Fsma204Subject =
  /** The trace of one lot, as the spreadsheet always was. */
  | { kind: "lot"; lotId: string; direction: TraceDirection }
  /** Every lot received under a supplier's lot code (of one product, if given), and downstream. */
  | { kind: "supplierLotCode"; supplierLotCode: string; productId: string | null }
  /** The product's own events in a span: its receipts, the runs that used or made it, its shipments. */
  | { kind: "product"; productId: string; span: BoundedRange };

export interface Fsma204Request {
  subject: Fsma204Subject;
  range: TimeRange;
}

/** The longest range asked of a product: two years, the time FSMA 204 records must be kept. */
export const MAX_RANGE_YEARS = 2;

const INSTANT_FORMAT =
  "must be an ISO 8601 date (2026-03-01, midnight UTC) or a date-time with a time zone (2026-03-01T08:00:00Z, 2026-03-01T08:00:00+01:00)";

/** A date is midnight UTC; a date-time without a zone is refused, since the server's zone would decide it. */
const instant = z
  .string()
  .trim()
  .refine(
    (text) => z.iso.date().safeParse(text).success || z.iso.datetime({ offset: true }).safeParse(text).success,
    INSTANT_FORMAT,
  )
  .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00.000Z` : text));

const blankIsAbsent = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankIsAbsent, schema.nullish());

const QUERY = z
  .object({
    lotId: optional(id),
    supplierLotCode: optional(z.string().trim().max(200)),
    productId: optional(id),
    direction: optional(z.enum(["UPSTREAM", "DOWNSTREAM"], "must be UPSTREAM or DOWNSTREAM")),
    from: optional(instant),
    to: optional(instant),
  })
  .superRefine((query, context) => {
    const problem = (path: keyof typeof query, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    if (query.lotId && (query.supplierLotCode || query.productId))
      problem(
        "lotId",
        "give one subject: lotId, or supplierLotCode, or productId (productId may narrow a supplierLotCode)",
      );
    if (!query.lotId && !query.supplierLotCode && !query.productId)
      problem("lotId", "lotId, supplierLotCode or productId is required");
    if (query.direction && !query.lotId)
      problem("direction", "direction applies to lotId only: a supplierLotCode is followed downstream");
    if (query.productId && !query.supplierLotCode && (!query.from || !query.to))
      problem(query.from ? "to" : "from", "from and to are required with productId");
    if (query.from && query.to) {
      if (query.from >= query.to) problem("to", "to must be after from");
      else if (query.to > yearsAfter(query.from, MAX_RANGE_YEARS))
        problem("to", `the range must not exceed ${MAX_RANGE_YEARS} years: ask for one period at a time`);
    }
  });

/**
 * The request the query makes, or BAD_USER_INPUT naming each offending parameter. One subject:
 * `lotId` (with `direction`, DOWNSTREAM by default), `supplierLotCode` (optionally narrowed by
 * `productId`), or `productId` with both `from` and `to`. `from` and `to` bound the events to
 * [from, to), at most {@link MAX_RANGE_YEARS} years apart.
 */
export function parseFsma204Query(query: Fsma204Query): Fsma204Request {
  const { lotId, supplierLotCode, productId, direction, from, to } = parseInput(QUERY, query);
  const range = { from: from ?? null, to: to ?? null };
  if (lotId) return { subject: { kind: "lot", lotId, direction: direction ?? "DOWNSTREAM" }, range };
  if (supplierLotCode)
    return { subject: { kind: "supplierLotCode", supplierLotCode, productId: productId ?? null }, range };
  // Unreachable: the schema has refused a productId alone without both ends, or no subject.
  if (!productId || !from || !to) throw badInput("productId", "productId needs from and to");
  return { subject: { kind: "product", productId, span: { from, to } }, range };
}

/** The same instant `years` calendar years later (29 February → 1 March). */
function yearsAfter(at: Date, years: number): Date {
  const later = new Date(at);
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}
