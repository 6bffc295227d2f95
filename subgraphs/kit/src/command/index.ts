export * from "./command.ts";
export * from "./recorder.ts";
export * from "./journalled.ts";
