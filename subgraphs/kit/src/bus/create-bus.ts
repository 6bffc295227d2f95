import type { Logger } from "../logger.ts";
import { InProcessBus } from "./in-process.ts";
import { NatsJetStreamBus } from "./nats.ts";
import type { EventBus } from "./types.ts";

/**
 * The bus for the current mode: NATS JetStream when `natsUrl` is set, otherwise one in-process
 * bus shared by every subgraph of the embedded process.
 */
export async function createEventBus(natsUrl: string | undefined, logger: Logger, name: string): Promise<EventBus> {
  if (!natsUrl) return new InProcessBus();
  return NatsJetStreamBus.connect({ servers: natsUrl, name, logger });
}
