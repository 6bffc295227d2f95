# syntax=docker/dockerfile:1
#
# Lotgraph web app (Next.js, web/), port 3000.
#
# Build from the REPOSITORY ROOT (npm workspaces: the lockfile and hoisted node_modules live there):
#   docker build -f infra/docker/web.Dockerfile \
#     --build-arg NEXT_PUBLIC_GATEWAY_URL=http://localhost:4000/graphql -t lotgraph/web .
# BuildKit reads the ignore file next to this Dockerfile: infra/docker/web.Dockerfile.dockerignore
#
# NEXT_PUBLIC_GATEWAY_URL is the gateway URL as the *browser* sees it; Next inlines it at build time.
# At run time the app also reads LOTGRAPH_GATEWAY_URL (browser-facing, overrides the baked value)
# and GATEWAY_URL (server-side requests, e.g. http://gateway:4000/graphql).
#
# The deps stage mirrors Dockerfile.service on purpose (same lockfile install), so a host building
# both images shares the cached `npm ci` layer.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
ARG NPM_VERSION=11
RUN npm install --global "npm@${NPM_VERSION}" --no-audit --no-fund && npm --version
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 \
    NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
COPY package.json package-lock.json .npmrc ./
COPY subgraphs/kit/package.json subgraphs/kit/
COPY subgraphs/identity/package.json subgraphs/identity/
COPY subgraphs/inventory/package.json subgraphs/inventory/
COPY subgraphs/production/package.json subgraphs/production/
COPY subgraphs/quality/package.json subgraphs/quality/
COPY subgraphs/traceability/package.json subgraphs/traceability/
COPY gateway/package.json gateway/
COPY apps/lotgraph/package.json apps/lotgraph/
COPY apps/cli/package.json apps/cli/
COPY schema/package.json schema/
COPY web/package.json web/
COPY tests/package.json tests/
COPY bench/package.json bench/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
# GraphQL codegen produces web/src/gql (client preset), which the app imports.
ARG GENERATE="npm run generate --workspaces --if-present && npm run codegen"
ARG NEXT_PUBLIC_GATEWAY_URL=http://localhost:4000/graphql
ENV NEXT_PUBLIC_GATEWAY_URL=${NEXT_PUBLIC_GATEWAY_URL}
COPY . .
RUN sh -c "${GENERATE}" && npm run build -w @lotgraph/web

FROM ${NODE_IMAGE} AS web
ARG NEXT_PUBLIC_GATEWAY_URL=http://localhost:4000/graphql
RUN apt-get update \
 && apt-get install --yes --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
# web/src/lib/gateway-url.ts also reads NEXT_PUBLIC_GATEWAY_URL at request time (not inlined),
# so the build-time value is kept in the runtime environment as well.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    LOTGRAPH_SERVICE=web \
    PORT=3000 \
    GATEWAY_URL=http://gateway:4000/graphql \
    NEXT_PUBLIC_GATEWAY_URL=${NEXT_PUBLIC_GATEWAY_URL}
WORKDIR /app
COPY --from=build /app /app
COPY infra/docker/healthcheck.mjs /opt/lotgraph/healthcheck.mjs
# `next start` writes only its caches (images, fetch) under web/.next/cache; the rest of the tree
# stays root-owned and read-only for the app user. Under Kubernetes the root file system is
# read-only and an emptyDir is mounted on web/.next/cache (infra/helm/lotgraph, infra/k8s/web.yaml).
RUN mkdir -p /app/web/.next/cache && chown -R node:node /app/web/.next
USER node
WORKDIR /app/web
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/opt/lotgraph/healthcheck.mjs", "/healthz"]
# `next start` (what `npm run start -w @lotgraph/web` runs) without npm in between; honours PORT.
CMD ["/app/node_modules/.bin/next", "start"]
