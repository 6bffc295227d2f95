import { EnvError } from "./env.ts";
import type { Logger } from "./logger.ts";
import { isDependencyUnavailable } from "./unavailable.ts";

/**
 * A start that cannot go on, told as an operator needs it: which setting, what it points at
 * (without credentials) and why. `main` prints the message alone, without a stack.
 */
export class StartupError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "StartupError";
  }
}

export interface Dependency {
  /** The setting that names it, e.g. DATABASE_URL. */
  variable: string;
  /** What it points at, safe to print (see {@link redactUrl}). */
  target: string;
  /** e.g. "PostgreSQL". */
  kind: string;
}

/**
 * Runs `connect` until it succeeds, retrying with exponential back-off (up to 5 s between tries)
 * while the dependency is unreachable, for at most `timeoutSeconds`. Any other failure (a wrong
 * password, a missing database) is not retried: waiting would not fix it. Either way the error
 * names the variable and the reason.
 */
export async function connectWithRetry<T>(
  dependency: Dependency,
  connect: () => Promise<T>,
  options: { timeoutSeconds: number; logger: Logger },
): Promise<T> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      const reason = reasonOf(error);
      if (!isDependencyUnavailable(error) && !isNatsUnreachable(error)) {
        throw new StartupError(
          dependency.variable,
          `${dependency.kind} at ${dependency.target} refused the connection: ${reason}`,
        );
      }
      const delay = Math.min(5_000, 250 * 2 ** attempt);
      if (Date.now() + delay > deadline) {
        throw new StartupError(
          dependency.variable,
          `${dependency.kind} at ${dependency.target} did not answer within ${options.timeoutSeconds} s (${reason}). ` +
            `Start it, or correct ${dependency.variable}; LOTGRAPH_STARTUP_TIMEOUT_SECONDS sets how long to wait.`,
        );
      }
      options.logger.warn(
        { dependency: dependency.variable, target: dependency.target, reason, retryInMs: delay },
        `${dependency.kind} is not reachable yet; retrying`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** A URL with its password replaced, so it can be printed and logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a valid URL)";
  }
}

function reasonOf(error: unknown): string {
  const found = error as { code?: unknown; message?: unknown } | null;
  const message = typeof found?.message === "string" && found.message ? found.message : String(error);
  const code = typeof found?.code === "string" ? found.code : null;
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** nats.js says a server is not there with its own codes. */
function isNatsUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "CONNECTION_REFUSED" || code === "TIMEOUT" || code === "503";
}

/**
 * The end of a `main` whose start failed: a configuration problem or a dependency that never
 * answered is printed as the operator needs it (one message, no stack) and the process exits
 * with status 1. Anything else is a bug and keeps its stack.
 */
export function exitOnStartupFailure(error: unknown): never {
  if (error instanceof StartupError || error instanceof EnvError) {
    console.error(`Lotgraph cannot start. ${error.message}`);
    process.exit(1);
  }
  throw error;
}
