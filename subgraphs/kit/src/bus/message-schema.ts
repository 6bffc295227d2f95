import { z } from "zod";
import type { BusMessage } from "./types.ts";

/**
 * The wire shape of a BusMessage. Adapters that receive bytes from outside the process validate
 * them with it, so a malformed or foreign message is rejected at the edge instead of reaching a
 * projection.
 */
export const busMessageSchema = z.object({
  id: z.string().min(1),
  subject: z.string().min(1),
  entityType: z.string().min(1),
  entityId: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.iso.datetime({ offset: true }),
});

export type ParsedBusMessage = { ok: true; message: BusMessage } | { ok: false; reason: string };

/** Decodes and validates one message body (UTF-8 JSON). Never throws. */
export function parseBusMessage(data: Uint8Array): ParsedBusMessage {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const result = busMessageSchema.safeParse(json);
  if (!result.success) return { ok: false, reason: z.prettifyError(result.error) };
  return { ok: true, message: result.data };
}
