import { createLogger, loadEnv, peerUrlsFromEnv, resolveJwtSecret, serve } from "@lotgraph/kit";
import { createGateway, exportRoutes } from "./server.ts";

/** The gateway as its own process (services mode): subgraph URLs from *_URL variables. */
const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL, "gateway");
const subgraphUrls = peerUrlsFromEnv();
const gateway = await createGateway({
  subgraphUrls,
  jwtSecret: await resolveJwtSecret(env),
  logger,
});
const server = await serve({
  name: "gateway",
  port: env.PORT ?? 4000,
  logger,
  handler: gateway.yoga,
  readiness: gateway.readiness,
  routes: exportRoutes(subgraphUrls, logger),
});

const shutdown = async (signal: string) => {
  logger.info({ signal }, "shutting down");
  await server.close();
  await gateway.close();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
