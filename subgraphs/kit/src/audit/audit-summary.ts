import type { AuditEntry } from "./audit.ts";

/**
 * A one-line reading of an audit entry for people and spreadsheets: the action, what changed
 * (top-level values that differ between before and after, a few at most), and the reason.
 * The full before and after stay in the entry: this only saves opening them.
 */
export function summarizeAudit(entry: Pick<AuditEntry, "action" | "reason" | "before" | "after">): string {
  const parts = [entry.action];
  const changes = changedValues(entry.before, entry.after);
  if (changes.length) parts.push(changes.join(", "));
  if (entry.reason) parts.push(entry.reason);
  const text = parts.join(" · ");
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

const MAX_CHANGES = 4;

function changedValues(before: unknown, after: unknown): string[] {
  if (!isRecord(after)) return [];
  const was = isRecord(before) ? before : {};
  const changes: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!isScalar(value)) continue;
    const previous = was[key];
    if (key in was && previous === value) continue;
    if (!(key in was) && isRecord(before)) continue;
    changes.push(
      key in was && isScalar(previous) ? `${key} ${show(previous)} → ${show(value)}` : `${key} ${show(value)}`,
    );
    if (changes.length === MAX_CHANGES) break;
  }
  return changes;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || ["string", "number", "boolean"].includes(typeof value);
const show = (value: string | number | boolean | null) => (value === null ? "none" : String(value));
