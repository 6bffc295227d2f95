export * from "./schema-drift.ts";
export * from "./services-state.ts";
export * from "./via-gateway.ts";
export * from "./kit-db.ts";
export * from "./nats.ts";
export * from "./evidence-fixture.ts";
export * from "./sql-executor.ts";
export * from "./in-memory-tracing.ts";
