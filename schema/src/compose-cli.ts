// `npm run compose` (--write) and `npm run compose:check` (--check). Only I/O lives here;
// the decisions are in check.ts so tests can drive them with in-memory schemas.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { checkComposition, planWrite } from "./check.ts";
import type { Report } from "./check.ts";
import { composeSupergraph } from "./compose.ts";
import { GENERATED_PATHS } from "./files.ts";
import type { GeneratedFiles } from "./files.ts";
import { loadSubgraphSdls, subgraphs } from "./subgraphs.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const outputPaths: GeneratedFiles = {
  supergraph: fileURLToPath(new URL("../supergraph.graphql", import.meta.url)),
  api: fileURLToPath(new URL("../api.graphql", import.meta.url)),
};

const USAGE = `usage: compose-cli.ts --write | --check [--allow-breaking] [--base-ref <git-ref>]
  --write            compose subgraphs/*/schema.graphql into ${GENERATED_PATHS.supergraph} and ${GENERATED_PATHS.api}
  --check            fail if composition fails, a generated file is stale, or the API breaks clients
  --allow-breaking   report breaking changes as warnings (also LOTGRAPH_ALLOW_BREAKING=1)
  --base-ref <ref>   measure breaking changes against ${GENERATED_PATHS.api} at this git ref (e.g. origin/main)`;

interface Options {
  readonly mode: "write" | "check";
  readonly allowBreaking: boolean;
  readonly baseRef: string | undefined;
}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Options | string {
  let mode: Options["mode"] | undefined;
  let allowBreaking = env["LOTGRAPH_ALLOW_BREAKING"] === "1";
  let baseRef: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--write" || arg === "--check") mode = arg === "--write" ? "write" : "check";
    else if (arg === "--allow-breaking") allowBreaking = true;
    else if (arg === "--base-ref" && argv[i + 1] !== undefined) baseRef = argv[++i];
    else return `unknown argument: ${arg}`;
  }
  return mode === undefined ? "choose --write or --check" : { mode, allowBreaking, baseRef };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
}

/** The API schema as committed at `ref`, or undefined when it did not exist there yet. */
async function apiAtRef(ref: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)("git", ["show", `${ref}:${GENERATED_PATHS.api}`], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch {
    console.warn(`warning: no ${GENERATED_PATHS.api} at ${ref}; comparing with the working copy instead`);
    return undefined;
  }
}

function print(report: Report): void {
  const indent = (text: string): string => text.replace(/\n/g, "\n  ");
  for (const w of report.warnings) console.warn(`warning: ${indent(w)}`);
  for (const f of report.failures) console.error(`error: ${indent(f)}`);
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseArgs(argv, env);
  if (typeof options === "string") {
    console.error(`${options}\n${USAGE}`);
    return 2;
  }
  const { loaded, missing } = await loadSubgraphSdls(subgraphs);
  if (missing.length > 0) {
    for (const s of missing) console.error(`error: subgraph ${s.name} has no ${relative(repoRoot, s.sdlPath)}`);
    return 1;
  }
  const composed = composeSupergraph(loaded);
  const committed = {
    supergraph: await readIfExists(outputPaths.supergraph),
    api: await readIfExists(outputPaths.api),
  };

  if (options.mode === "write") {
    const plan = planWrite(composed, committed.api);
    print(plan);
    if (plan.files === undefined) return 1;
    await writeFile(outputPaths.supergraph, plan.files.supergraph);
    await writeFile(outputPaths.api, plan.files.api);
    console.log(`composed ${loaded.length} subgraphs → ${GENERATED_PATHS.supergraph}, ${GENERATED_PATHS.api}`);
    return 0;
  }

  const baselineApi = options.baseRef === undefined ? undefined : await apiAtRef(options.baseRef);
  const report = checkComposition({
    composed,
    committed,
    baselineApi,
    allowBreaking: options.allowBreaking,
  });
  print(report);
  if (report.ok) console.log(`supergraph is up to date (${loaded.length} subgraphs)`);
  return report.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2), process.env);
