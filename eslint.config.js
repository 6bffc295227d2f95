import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
      "subgraphs/identity/src/index.ts",
      "tests/**",
    ],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.mjs", "**/*.cjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly", fetch: "readonly", setTimeout: "readonly" },
    },
  },
);
