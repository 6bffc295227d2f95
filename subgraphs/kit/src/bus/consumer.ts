import type { Logger } from "pino";
import type { SqlExecutor } from "../db/sql.ts";
import type { BusMessage, Consumption, EventBus } from "./types.ts";

export interface ProjectionOptions<Tx extends SqlExecutor> {
  bus: EventBus;
  /** Runs `fn` in one transaction of the consumer's own database. */
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  durable: string;
  subjects: string[];
  /** Applies one event to the consumer's state, inside the transaction. */
  apply: (tx: Tx, message: BusMessage) => Promise<void>;
  logger: Logger;
}

/**
 * Runs a durable, idempotent consumer: each event is applied in the same transaction that
 * records its id in `processed_event`, so a redelivered event (after a crash, a reconnect, or a
 * republish by the relay) is acknowledged without being applied twice. A failing `apply` rolls
 * back and the bus redelivers it.
 */
export async function startProjection<Tx extends SqlExecutor>(options: ProjectionOptions<Tx>): Promise<Consumption> {
  const { durable } = options;
  return options.bus.consume({
    durable,
    subjects: options.subjects,
    handler: async (message) => {
      try {
        await options.transaction(async (tx) => {
          const inserted = await tx.$executeRawUnsafe(
            `INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2::uuid)
             ON CONFLICT DO NOTHING`,
            durable,
            message.id,
          );
          if (inserted === 0) return; // already applied
          await options.apply(tx, message);
        });
      } catch (error) {
        options.logger.error(
          { err: error, event: message.id, subject: message.subject, durable },
          "event not applied; will be redelivered",
        );
        throw error;
      }
    },
  });
}
