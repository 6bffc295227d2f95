export * from "./command.ts";
export * from "./recorder.ts";
