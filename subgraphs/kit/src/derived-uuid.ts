import { createHash } from "node:crypto";

/**
 * A UUID (version 5 layout) derived from a seed: the same client key names the same entity on a
 * retry and after a crash, so a journalled write can choose its ids before it runs.
 */
export function derivedUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
