import { findApiChanges } from "./breaking.ts";
import type { ComposeResult } from "./compose.ts";
import { firstDifference } from "./diff.ts";
import { GENERATED_PATHS, normalizeNewlines, renderGeneratedFiles } from "./files.ts";
import type { GeneratedFiles } from "./files.ts";

/** What a run found: `ok` is false when any failure was recorded. Each entry is printable text. */
export interface Report {
  readonly ok: boolean;
  readonly failures: readonly string[];
  readonly warnings: readonly string[];
}

/** Inputs of {@link checkComposition}; all in memory so tests need no files. */
export interface CheckInput {
  readonly composed: ComposeResult;
  /** Current contents of the generated files, `undefined` when a file does not exist. */
  readonly committed: {
    readonly supergraph: string | undefined;
    readonly api: string | undefined;
  };
  /**
   * API schema that clients rely on today; breaking changes are measured against it.
   * Defaults to `committed.api`; CI can pass the base branch's copy instead.
   */
  readonly baselineApi?: string | undefined;
  /** Breaking changes become warnings: for intentional changes recorded in docs/decisions/. */
  readonly allowBreaking: boolean;
}

const FIX = "Run `npm run compose` and commit the result.";

/**
 * The CI gate: fails on composition errors, on generated files that differ from a fresh
 * composition, and on breaking API changes unless they are explicitly allowed.
 */
export function checkComposition(input: CheckInput): Report {
  const { composed, committed } = input;
  if (composed.supergraphSdl === undefined || composed.apiSchemaSdl === undefined) {
    return { ok: false, failures: compositionFailures(composed), warnings: [] };
  }
  const fresh = renderGeneratedFiles(composed.supergraphSdl, composed.apiSchemaSdl);
  const failures: string[] = [];
  const warnings = hintWarnings(composed);

  for (const key of ["supergraph", "api"] as const) {
    const problem = staleness(key, committed[key], fresh);
    if (problem !== undefined) failures.push(problem);
  }

  const baseline = input.baselineApi ?? committed.api;
  if (baseline !== undefined) {
    const changes = apiChanges(baseline, composed.apiSchemaSdl);
    if (changes.breaking.length > 0) {
      (input.allowBreaking ? warnings : failures).push(breakingText(changes.breaking, input.allowBreaking));
    }
    if (changes.dangerous.length > 0) warnings.push(dangerousText(changes.dangerous));
  }
  return { ok: failures.length === 0, failures, warnings };
}

/** What `--write` should do: the files to write (absent on composition errors) and what to say. */
export interface WritePlan extends Report {
  readonly files: GeneratedFiles | undefined;
}

/**
 * Plans `npm run compose`: renders the files and warns about breaking changes against the
 * previous API schema, so the author sees them before CI does.
 */
export function planWrite(composed: ComposeResult, previousApi: string | undefined): WritePlan {
  if (composed.supergraphSdl === undefined || composed.apiSchemaSdl === undefined) {
    return {
      ok: false,
      failures: compositionFailures(composed),
      warnings: [],
      files: undefined,
    };
  }
  const warnings = hintWarnings(composed);
  if (previousApi !== undefined) {
    const changes = apiChanges(previousApi, composed.apiSchemaSdl);
    if (changes.breaking.length > 0) warnings.push(breakingText(changes.breaking, true));
    if (changes.dangerous.length > 0) warnings.push(dangerousText(changes.dangerous));
  }
  const files = renderGeneratedFiles(composed.supergraphSdl, composed.apiSchemaSdl);
  return { ok: true, failures: [], warnings, files };
}

function compositionFailures(composed: ComposeResult): string[] {
  return composed.errors.map((e) => `composition error ${e.code}: ${e.message}`);
}

function hintWarnings(composed: ComposeResult): string[] {
  return composed.hints.map((h) => `composition hint ${h.code}: ${h.message}`);
}

function staleness(key: keyof GeneratedFiles, current: string | undefined, fresh: GeneratedFiles): string | undefined {
  const path = GENERATED_PATHS[key];
  if (current === undefined) return `${path} is missing. ${FIX}`;
  const diff = firstDifference(normalizeNewlines(current), fresh[key]);
  return diff === undefined ? undefined : `${path} is stale. ${FIX}\n${diff}`;
}

function apiChanges(baseline: string, next: string): { breaking: string[]; dangerous: string[] } {
  try {
    const changes = findApiChanges(baseline, next);
    return {
      breaking: [...changes.breaking],
      dangerous: [...changes.dangerous],
    };
  } catch (error) {
    // An unreadable baseline must not silently pass the breaking-change gate.
    const reason = error instanceof Error ? error.message : String(error);
    return { breaking: [`BASELINE_UNREADABLE: ${reason}`], dangerous: [] };
  }
}

function breakingText(lines: readonly string[], allowed: boolean): string {
  const head = allowed
    ? `breaking API changes (allowed; record why in docs/decisions/):`
    : "breaking API changes; clients may fail. If intended, record a decision in docs/decisions/ " +
      "and rerun with --allow-breaking (or LOTGRAPH_ALLOW_BREAKING=1):";
  return [head, ...lines.map((l) => `  - ${l}`)].join("\n");
}

function dangerousText(lines: readonly string[]): string {
  return ["potentially dangerous API changes:", ...lines.map((l) => `  - ${l}`)].join("\n");
}
