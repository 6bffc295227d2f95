/** How many lines around the first difference are shown; enough to locate it, short enough to read. */
const CONTEXT = 2;
const MAX_CHANGED = 6;

/**
 * A short unified-style excerpt of the first region where `actual` (committed) differs from
 * `expected` (freshly composed), or `undefined` when they are equal. Not a full diff: the
 * fix is always to regenerate, so the excerpt only has to show what drifted.
 */
export function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  const a = actual.split("\n");
  const b = expected.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  // Trim the common tail so a single inserted line shows as one `+`, not a cascade.
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - CONTEXT);
  const out = [`@@ line ${start + 1} @@`];
  for (const line of a.slice(from, start)) out.push(`  ${line}`);
  out.push(...clip(a.slice(start, endA), "- "));
  out.push(...clip(b.slice(start, endB), "+ "));
  for (const line of b.slice(endB, endB + CONTEXT)) out.push(`  ${line}`);
  return out.join("\n");
}

function clip(lines: readonly string[], prefix: string): string[] {
  const shown = lines.slice(0, MAX_CHANGED).map((l) => `${prefix}${l}`);
  if (lines.length > MAX_CHANGED) shown.push(`${prefix}… ${lines.length - MAX_CHANGED} more lines`);
  return shown;
}
