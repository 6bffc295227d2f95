#!/usr/bin/env node
/**
 * `npm run build`: the all-in-one process as one JavaScript file, `apps/lotgraph/dist/main.mjs`,
 * which `npm start` runs with plain `node` (decision 0017), and each service of services mode as
 * its own, `apps/lotgraph/dist/<service>.mjs`, which the images run (decision 0018).
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
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const APP = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(APP, "..", "..");
const DIST = join(APP, "dist");
export const LAUNCHER_BUNDLE = join(DIST, "main.mjs");
/** Each process of services mode: its entry file, bundled as `dist/<name>.mjs`. */
export const SERVICE_ENTRIES = {
  identity: "subgraphs/identity/src/index.ts",
  inventory: "subgraphs/inventory/src/index.ts",
  production: "subgraphs/production/src/index.ts",
  quality: "subgraphs/quality/src/index.ts",
  traceability: "subgraphs/traceability/src/index.ts",
  gateway: "gateway/src/index.ts",
};
/** The bundle `node` runs for one service of services mode. */
export const serviceBundle = (name) => join(DIST, `${name}.mjs`);
/** What went into the last bundle, to skip a build nothing has changed since. */
const INPUTS = join(DIST, "inputs.json");

/**
 * Packages loaded from node_modules at run time, each for a reason: PGlite and Prisma read their
 * WebAssembly next to their own files; piscina and pino start workers from their own files; Next.js
 * is started as a server of its own; pg is the Prisma adapter's (see below).
 */
const EXTERNAL_PACKAGES = [
  /^@electric-sql\//,
  /^@prisma\//,
  /^piscina$/,
  /^pino(-|$|\/)/,
  /^thread-stream/,
  /^next(\/|$)/,
  // The Prisma adapter (external, above) must see the pool Lotgraph makes as its own pg.Pool.
  /^pg(\/|$)/,
  // pdfkit loads its fonts through its package's own `#standard-fonts/…` imports at run time,
  // which resolve only from its own directory (recall reports are PDFs).
  /^pdfkit(\/|$)/,
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
 * Builds the bundles unless they are newer than everything that went into them and than the last
 * `npm install` (which rewrites node_modules/.package-lock.json); resolves to the launcher's path.
 * One build makes all seven: the code they share goes into chunks under `dist/chunks/`, so the
 * build costs little more than the launcher's alone.
 */
export async function buildLauncher({ force = false } = {}) {
  if (!force && (await upToDate())) return LAUNCHER_BUNDLE;
  // Chunk names carry a hash of their contents: an earlier build's would otherwise pile up.
  await rm(join(DIST, "chunks"), { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      main: join(APP, "src", "main.ts"),
      ...Object.fromEntries(Object.entries(SERVICE_ENTRIES).map(([name, entry]) => [name, join(ROOT, entry)])),
    },
    outdir: DIST,
    outExtension: { ".js": ".mjs" },
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
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

/**
 * A script of this repository (a benchmark's peer, say) as one JavaScript file at `outfile`: our
 * TypeScript bundled in, with its source files' URLs as everywhere else; every npm package
 * loaded from node_modules.
 */
export async function buildScript(entry, outfile) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: [sourceUrls, allPackagesExternal],
    logLevel: "warning",
  });
  return outfile;
}

/** npm packages, and this file (JavaScript already, and a script of its own when run directly). */
const allPackagesExternal = {
  name: "all-packages-external",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      path.startsWith("@lotgraph/") && path !== "@lotgraph/lotgraph/build" ? undefined : { path, external: true },
    );
  },
};

async function upToDate() {
  const builtAt = await Promise.all(
    [LAUNCHER_BUNDLE, ...Object.keys(SERVICE_ENTRIES).map(serviceBundle)].map(modifiedAt),
  );
  if (builtAt.includes(null)) return false;
  const built = Math.min(...builtAt);
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
