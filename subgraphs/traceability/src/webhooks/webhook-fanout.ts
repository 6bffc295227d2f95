import { startProjection, subjectMatches, type Consumption, type Database, type EventBus } from "@lotgraph/kit";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { TraceabilityClient, TraceabilityTx } from "../database.ts";

/** The durable consumer that turns events into webhook deliveries. */
export const WEBHOOK_FANOUT_CONSUMER = "traceability-webhooks";

/**
 * Records, for every event on the bus, one delivery per webhook whose subjects match it, in the
 * same transaction that marks the event processed: an event redelivered by the bus adds nothing,
 * and one that arrives while a webhook is paused waits for it. Sending is the dispatcher's
 * (webhook-dispatcher.ts), so a slow receiver never holds this consumer, or the write path, back.
 * Events go to the webhooks that exist when they arrive; what came before is in the change feed.
 */
export function startWebhookFanout(
  db: Database<TraceabilityClient, TraceabilityTx>,
  bus: EventBus,
  logger: Logger,
  recorded: () => void,
): Promise<Consumption> {
  let recordedDelivery = false;
  return startProjection<TraceabilityTx>({
    bus,
    logger,
    durable: WEBHOOK_FANOUT_CONSUMER,
    subjects: ["lotgraph.>"],
    // The consumer applies one event at a time, so one flag says whether this one's commit
    // recorded a delivery, and the dispatcher is woken only then.
    transaction: async (fn) => {
      recordedDelivery = false;
      const result = await db.transaction(fn);
      if (recordedDelivery) recorded();
      return result;
    },
    apply: async (tx, message) => {
      const webhooks = await tx.webhook.findMany({ where: { deletedAt: null }, select: { id: true, subjects: true } });
      const matching = webhooks.filter((webhook) =>
        webhook.subjects.some((pattern) => subjectMatches(pattern, message.subject)),
      );
      if (matching.length === 0) return;
      await tx.webhookDelivery.createMany({
        data: matching.map((webhook) => ({
          id: randomUUID(),
          webhookId: webhook.id,
          eventId: message.id,
          subject: message.subject,
          entityType: message.entityType,
          entityId: message.entityId,
          payload: message.payload as object,
          occurredAt: new Date(message.occurredAt),
        })),
        skipDuplicates: true,
      });
      recordedDelivery = true;
    },
  });
}
