/**
 * RFC 4180 CSV for spreadsheets: CRLF line endings, fields quoted when they hold a comma, a quote
 * or a line break (quotes doubled), and a UTF-8 byte order mark.
 *
 * Why the BOM: Excel, the spreadsheet most recipients of an FSMA 204 request will open the file
 * in, reads a CSV without one in the legacy ANSI code page, turning "Jalapeño" into "JalapeÃ±o".
 * RFC 4180 does not forbid it and common CSV parsers skip it. Serve it as
 * `text/csv; charset=utf-8; header=present`.
 */
export const UTF8_BOM = "\uFEFF";
export const CRLF = "\r\n";

/** Header then records, each terminated by CRLF, the whole text prefixed by a BOM. */
export function writeCsv(header: readonly string[], records: ReadonlyArray<readonly string[]>): string {
  const lines = [header, ...records].map((fields) => fields.map(csvField).join(","));
  return UTF8_BOM + lines.map((line) => line + CRLF).join("");
}

/**
 * One field. Text that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or CR;
 * lot codes and names come from suppliers and ERPs) gets a leading apostrophe, the OWASP advice
 * against CSV injection; numbers such as `-1.5` stay as they are.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
