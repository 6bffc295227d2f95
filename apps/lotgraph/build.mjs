#!/usr/bin/env node
/**
 * `npm run build`: the all-in-one process as one JavaScript file, `apps/lotgraph/dist/main.mjs`,
 * which `npm start` runs with plain `node` (decision 0017).
 *
 * Running the TypeScript through tsx costs every start a loader hook on each of ~1,300 module
 * resolutions and ~300 transforms, and loading ~2,000 separate files of npm packages costs as much
 * again in resolution and file reads. The bundle holds Lotgraph's code and the pure-JavaScript
 * packages it uses. Packages that find files of their own at run time (WebAssembly, worker
 * scripts) stay external and load from node_modules as usual.
 *
 * Our modules find their files (schema.graphql, migrations, the password worker) from
 * `import.meta.url`, so each one's URL is set to its source file's: the bundle runs from this
 * checkout, exactly as the sources do.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const APP = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(APP, "..", "..");
export const LAUNCHER_BUNDLE = join(APP, "dist", "main.mjs");
/** What went into the last bundle, to skip a build nothing has changed since. */
const INPUTS = join(APP, "dist", "inputs.json");

/**
 * Packages loaded from node_modules at run time, each for a reason: PGlite and Prisma read their
 * WebAssembly next to their own files; piscina and pino start workers from their own files; Next.js
 * is started as a server of its own.
 */
const EXTERNAL_PACKAGES = [
  /^@electric-sql\//,
  /^@prisma\//,
  /^piscina$/,
  /^pino(-|$|\/)/,
  /^thread-stream/,
  /^next(\/|$)/,
];

/** Our TypeScript keeps the URL of its source file, so relative file lookups work from the bundle. */
const sourceUrls = {
  name: "source-import-meta-url",
  setup(builder) {
    builder.onLoad({ filter: /\.m?ts$/ }, async ({ path }) => {
      if (path.includes("/node_modules/")) return undefined;
      const text = await readFile(path, "utf8");
      return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(path).href)), loader: "ts" };
    });
  },
};

const externalPackages = {
  name: "external-packages",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      path.startsWith("node:") || EXTERNAL_PACKAGES.some((pattern) => pattern.test(path))
        ? { path, external: true }
        : undefined,
    );
  },
};

/**
 * Builds the launcher's bundle unless it is newer than everything that went into it and than the
 * last `npm install` (which rewrites node_modules/.package-lock.json); resolves to its path.
 */
export async function buildLauncher({ force = false } = {}) {
  if (!force && (await upToDate())) return LAUNCHER_BUNDLE;
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(APP, "src", "main.ts")],
    outfile: LAUNCHER_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    metafile: true,
    plugins: [sourceUrls, externalPackages],
    // Bundled CommonJS packages `require` Node's modules and their optional native add-ons.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
  await writeFile(INPUTS, JSON.stringify(Object.keys(result.metafile.inputs)));
  return LAUNCHER_BUNDLE;
}

async function upToDate() {
  const built = await modifiedAt(LAUNCHER_BUNDLE);
  if (built === null) return false;
  const inputs = JSON.parse(await readFile(INPUTS, "utf8").catch(() => "null"));
  if (!Array.isArray(inputs)) return false;
  const sources = [...inputs.map((input) => join(ROOT, input)), join(ROOT, "node_modules", ".package-lock.json")];
  const times = await Promise.all(sources.map(modifiedAt));
  return times.every((time) => time !== null && time < built);
}

const modifiedAt = (path) =>
  stat(path).then(
    (stats) => stats.mtimeMs,
    () => null,
  );

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  await buildLauncher({ force: process.argv.includes("--force") });
  console.log(`${LAUNCHER_BUNDLE} ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
