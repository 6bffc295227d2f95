import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let version: string | undefined;

/** The root package's version: what a manifest records as the Lotgraph that made it. */
export function lotgraphVersion(): string {
  if (version) return version;
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
  version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  return version;
}
