import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from "graphql";
import { DECIMAL_FRACTION_DIGITS, DECIMAL_INTEGER_DIGITS, decimalParts, fitsStorage } from "./quantity/decimal-text.ts";

/**
 * `Decimal`: quantities as strings, never floats (DESIGN.md §4.2). The scalar checks the shape of
 * the number and that it fits the columns that store quantities, numeric(20, 6): at most 14
 * integer digits and 6 decimals. Domain rules (e.g. not negative) live in the domain. Invalid
 * input is BAD_USER_INPUT.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: 'A decimal number encoded as a string, e.g. "12.500".',
  serialize: (value) => String(value),
  parseValue: (value) => parseDecimal(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDecimal(ast.value);
    throw invalid("Decimal", "a decimal number as a string");
  },
});

function parseDecimal(value: unknown): string {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  const parts = typeof text === "string" && text.length <= 64 ? decimalParts(text) : null;
  if (!parts) throw invalid("Decimal", `a decimal number such as "12.5" (got ${preview(value)})`);
  if (!fitsStorage(parts)) {
    throw invalid(
      "Decimal",
      `at most ${DECIMAL_INTEGER_DIGITS} digits before the point and ${DECIMAL_FRACTION_DIGITS} after it (got ${preview(value)})`,
    );
  }
  return (text as string).trim();
}

/** A value as the error shows it: JSON, cut short (an error must not echo a megabyte back). */
function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** `DateTime`: ISO 8601 with a time zone, serialised in UTC. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An ISO 8601 date-time with time zone, e.g. 2026-11-21T08:30:00Z.",
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime cannot represent an invalid date");
    return date.toISOString();
  },
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalid("DateTime", "an ISO 8601 string");
    return parseDateTime(ast.value);
  },
});

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (
    typeof value !== "string" ||
    !ISO_DATE_TIME.test(value) ||
    !isCalendarDate(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    throw invalid("DateTime", `an ISO 8601 date-time with time zone (got ${preview(value)})`);
  }
  const date = new Date(value);
  // Year 0000 exists in ISO 8601 but not in PostgreSQL's calendar (1 BC), and a zone offset can
  // move 0001-01-01 or 9999-12-31 across the edge; PostgreSQL and JavaScript share years 1-9999.
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw invalid("DateTime", `a date between the years 1 and 9999 (got ${preview(value)})`);
  return date;
}

/** V8's Date.parse rolls 2026-02-30 over to March 2; an impossible day must be refused instead. */
function isCalendarDate(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return daysInMonth !== undefined && day >= 1 && day <= daysInMonth;
}

function invalid(scalar: string, expected: string): GraphQLError {
  return new GraphQLError(`${scalar} must be ${expected}`, { extensions: { code: "BAD_USER_INPUT" } });
}

/**
 * `JSON`: an arbitrary JSON value passed through as is (documents such as EPCIS exports, whose
 * shape a standard defines, not our schema). Input literals become plain values.
 */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: "JSON",
  description: "Any JSON value.",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
