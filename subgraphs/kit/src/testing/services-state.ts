import pg from "pg";
import { NatsJetStreamBus } from "../bus/nats.ts";
import { createLogger } from "../logger.ts";

/** Drops the PostgreSQL schemas `<prefix>_*` of one isolated services-mode run. */
export async function dropSchemas(prefix: string, databaseUrl = process.env.DATABASE_URL ?? ""): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [
      `${prefix}\\_%`,
    ]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Removes what one isolated services-mode run (a test file, a benchmark) left behind: its
 * PostgreSQL schemas `<prefix>_*` and its JetStream stream (the namespace `<prefix>` in upper case).
 */
export async function dropServicesState(
  prefix: string,
  urls: { databaseUrl: string; natsUrl: string } = {
    databaseUrl: process.env.DATABASE_URL ?? "",
    natsUrl: process.env.NATS_URL ?? "",
  },
): Promise<void> {
  await dropSchemas(prefix, urls.databaseUrl);
  const bus = await NatsJetStreamBus.connect({
    servers: urls.natsUrl,
    name: "lotgraph-cleanup",
    logger: createLogger("warn", "cleanup"),
    stream: prefix.toUpperCase(),
    subjects: [`${prefix}.>`],
  });
  try {
    await bus.deleteStream();
  } finally {
    await bus.close();
  }
}
