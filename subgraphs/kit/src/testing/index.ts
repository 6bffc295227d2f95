export * from "./schema-drift.ts";
export * from "./services-state.ts";
export * from "./via-gateway.ts";
