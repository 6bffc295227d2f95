import { pino, type Logger } from "pino";

export type { Logger } from "pino";

/** The process logger: JSON lines, one child per service, request ids added per request. */
export function createLogger(level: string, service: string): Logger {
  return pino({ level, base: { service }, redact: ["req.headers.authorization", "*.password", "*.token"] });
}
