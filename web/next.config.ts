import type { NextConfig } from "next";
import { fileURLToPath } from "node:url";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Kit ships TypeScript source; the web app imports only its browser-safe `@lotgraph/kit/quantity`.
  transpilePackages: ["@lotgraph/kit"],
  // The monorepo root holds the lockfile; pinning it keeps Next from guessing a workspace root.
  turbopack: { root: fileURLToPath(new URL("..", import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL("..", import.meta.url)),
};

export default nextConfig;
