export * from "./schema-drift.ts";
