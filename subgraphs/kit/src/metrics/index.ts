export * from "./metrics.ts";
export * from "./metrics-server.ts";
export * from "./operation-metrics.ts";
export * from "./runtime-gauges.ts";
export * from "./measured-bus.ts";
export * from "./process-metrics.ts";
