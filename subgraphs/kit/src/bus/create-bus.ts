import type { Logger } from "../logger.ts";
import { InProcessBus } from "./in-process.ts";
import { DEFAULT_NAMESPACE, NamespacedBus } from "./namespaced.ts";
import { NatsJetStreamBus } from "./nats.ts";
import type { EventBus } from "./types.ts";
import { connectWithRetry, redactUrl } from "../startup.ts";
import { tracingEnabled } from "../tracing/spans.ts";
import { TracedBus } from "../tracing/traced-bus.ts";

export interface CreateBusOptions {
  natsUrl?: string | undefined;
  logger: Logger;
  /** Connection name shown by the NATS server. */
  name: string;
  /** Subject namespace (LOTGRAPH_BUS_NAMESPACE); its stream is the namespace in upper case. */
  namespace?: string;
  /** How long to wait for NATS at start (see connectWithRetry). Default 60 s. */
  startupTimeoutSeconds?: number;
}

/**
 * The bus for the current mode: NATS JetStream when `natsUrl` is set, otherwise one in-process
 * bus shared by every subgraph of the embedded process. With tracing on (started before), its
 * publishes and deliveries are spans (tracing/traced-bus.ts).
 */
export async function createEventBus(options: CreateBusOptions): Promise<EventBus> {
  const bus = await connectEventBus(options);
  return tracingEnabled() ? new TracedBus(bus) : bus;
}

async function connectEventBus(options: CreateBusOptions): Promise<EventBus> {
  if (!options.natsUrl) return new InProcessBus();
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const natsUrl = options.natsUrl;
  const nats = await connectWithRetry(
    { variable: "NATS_URL", kind: "NATS JetStream", target: redactUrl(natsUrl) },
    () =>
      NatsJetStreamBus.connect({
        servers: natsUrl,
        name: options.name,
        logger: options.logger,
        stream: namespace.toUpperCase(),
        subjects: [`${namespace}.>`],
      }),
    { timeoutSeconds: options.startupTimeoutSeconds ?? 60, logger: options.logger },
  );
  return namespace === DEFAULT_NAMESPACE ? nats : new NamespacedBus(nats, namespace);
}
