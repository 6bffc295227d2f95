/** The all-in-one bundle `npm start` runs. */
export declare const LAUNCHER_BUNDLE: string;
/** Builds the all-in-one bundle unless it is up to date (or always, with `force`); resolves to its path. */
export declare function buildLauncher(options?: { force?: boolean }): Promise<string>;
