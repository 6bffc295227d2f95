import { connect } from "nats";

/**
 * Publishes raw bytes to JetStream, bypassing the EventBus (which only sends valid messages), so
 * tests can check how consumers treat malformed or foreign messages.
 */
export async function publishRawToJetStream(
  servers: string,
  subject: string,
  data: Uint8Array,
  msgID: string,
): Promise<void> {
  const nc = await connect({ servers, name: "lotgraph-test-raw-publisher" });
  try {
    await nc.jetstream().publish(subject, data, { msgID });
  } finally {
    await nc.close();
  }
}
