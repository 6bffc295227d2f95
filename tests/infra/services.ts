/**
 * Lotgraph's deployable services and their ports, as every deployment (compose, kustomize, the
 * Helm chart) must give them: one list for the infra tests to check each against.
 */
export const SUBGRAPHS = ["identity", "inventory", "production", "quality", "traceability"] as const;
/** The Node servers built from Dockerfile.service. */
export const BACKEND = [...SUBGRAPHS, "gateway"] as const;
export const APP_SERVICES = [...BACKEND, "web"] as const;
export type AppService = (typeof APP_SERVICES)[number];

export const PORTS: Record<AppService, number> = {
  identity: 4001,
  inventory: 4002,
  production: 4003,
  quality: 4004,
  traceability: 4005,
  gateway: 4000,
  web: 3000,
};
