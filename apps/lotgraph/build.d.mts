/** The all-in-one bundle `npm start` runs. */
export declare const LAUNCHER_BUNDLE: string;
/** Each service of services mode and its entry file (relative to the repository root). */
export declare const SERVICE_ENTRIES: Record<
  "identity" | "inventory" | "production" | "quality" | "traceability" | "gateway",
  string
>;
/** The bundle `node` runs for one service of services mode: `apps/lotgraph/dist/<name>.mjs`. */
export declare function serviceBundle(name: keyof typeof SERVICE_ENTRIES): string;
/**
 * Builds the all-in-one and service bundles unless they are up to date (or always, with `force`);
 * resolves to the all-in-one bundle's path.
 */
export declare function buildLauncher(options?: { force?: boolean }): Promise<string>;
/**
 * Bundles one script of this repository (our TypeScript in, npm packages external) to `outfile`;
 * resolves to `outfile`.
 */
export declare function buildScript(entry: string, outfile: string): Promise<string>;
