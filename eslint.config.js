import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Each workspace package by folder, with the folders only it may reach by a relative path. Every
 * other file imports a package through its name and `exports` ("@lotgraph/kit/testing"), so a
 * package's internals can move without breaking its neighbours. Paths end in the folder's own
 * name ("kit/src"), which catches both "../subgraphs/kit/src/…" and a sibling's "../../kit/src/…".
 */
const PACKAGE_INTERNALS = {
  "subgraphs/kit": ["kit/src"],
  "subgraphs/identity": ["identity/src"],
  "subgraphs/inventory": ["inventory/src"],
  "subgraphs/production": ["production/src"],
  "subgraphs/quality": ["quality/src"],
  "subgraphs/traceability": ["traceability/src"],
  gateway: ["gateway/src"],
  "apps/lotgraph": ["lotgraph/src"],
  schema: ["schema/src"],
  web: ["web/src"],
  tests: ["tests/support"],
  bench: ["bench/src"],
};

/** `no-restricted-imports` for files of `ownFolder` (null: files of no package): relative paths into any other package. */
function othersInternals(ownFolder) {
  const forbidden = Object.entries(PACKAGE_INTERNALS)
    .filter(([folder]) => folder !== ownFolder)
    .flatMap(([, internals]) => internals);
  return [
    "error",
    {
      patterns: [
        {
          regex: `^\\.\\.?/(?:.*/)?(?:${forbidden.join("|")})/`,
          message:
            "Import another package through its name and package.json `exports`, not a relative path into its files.",
        },
      ],
    },
  ];
}

const OWN_IMPORTS_ONLY = [
  ...Object.keys(PACKAGE_INTERNALS).map((folder) => ({
    files: [`${folder}/**/*.{ts,tsx,mts,js,mjs}`],
    rules: { "no-restricted-imports": othersInternals(folder) },
  })),
  {
    files: ["**/*.{ts,tsx,mts,js,mjs}"],
    ignores: Object.keys(PACKAGE_INTERNALS).map((folder) => `${folder}/**`),
    rules: { "no-restricted-imports": othersInternals(null) },
  },
];

/**
 * Shipping code stays small enough to read in one sitting: a file of at most 400 lines, a
 * function of at most 60 (blank lines and comments are not counted, so explaining costs nothing).
 * Tests, test support, benchmarks and scripts are exempt: a test reads top to bottom as a story.
 */
const SIZE_LIMITS = {
  files: [
    "subgraphs/*/src/**/*.{ts,tsx}",
    "gateway/src/**/*.ts",
    "apps/*/src/**/*.{ts,tsx}",
    "web/src/**/*.{ts,tsx}",
    "schema/src/**/*.ts",
  ],
  ignores: ["**/*.test.{ts,tsx}", "**/testing/**", "**/testing.ts"],
  rules: {
    "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
    "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
  },
};

/** One lint config for the repo: recommended rules, type-aware where it pays. */
export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/src/generated/**",
      "web/src/gql/**",
      "web/.next/**",
      "web/next-env.d.ts",
      ".lotgraph/**",
      "test-results/**",
      "infra/docker/*.mjs",
      "apps/lotgraph/dist/**",
      "bench/dist/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: [
      "scripts/**",
      "bench/**",
      "schema/src/compose-cli.ts",
      "apps/lotgraph/src/main.ts",
      "apps/lotgraph/build.mjs",
      "subgraphs/identity/src/index.ts",
      "tests/**",
    ],
    rules: { "no-console": "off" },
  },
  ...OWN_IMPORTS_ONLY,
  SIZE_LIMITS,
  {
    files: ["**/*.mjs", "**/*.cjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        fetch: "readonly",
        setTimeout: "readonly",
        performance: "readonly",
      },
    },
  },
  {
    // Integrator examples (docs/integrators.md): plain Node 20 scripts whose output is the point.
    files: ["examples/**/*.mjs"],
    languageOptions: { globals: { Buffer: "readonly", AbortSignal: "readonly" } },
    rules: { "no-console": "off" },
  },
);
