# syntax=docker/dockerfile:1
# Tollgate container image: `docker build -t tollgate .`
# Three stages so the runtime image carries neither the compiler toolchain nor the dev dependencies:
#   builder  - full `npm ci`, Prisma client generation and the SWC build into dist/
#   deps     - production dependencies only
#   runtime  - dist/ + bin/ + prisma/migrations + production node_modules, running as an unprivileged user

ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS builder
WORKDIR /app
# Install scripts are skipped on purpose: the only ones that matter would download Prisma's native
# engines, which Tollgate never runs (scripts/prisma-generate.js works without them).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY libs ./libs
COPY apps ./apps
# `npm run build` generates the Prisma client into libs/database/src/generated first, so the compiled
# client ends up inside dist/ next to the code that imports it.
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional as well: the Prisma CLI and its tooling (~250 MB) are dev dependencies that are also
# optional peers of @prisma/client, so --omit=dev alone keeps them. The only other optional packages are
# msgpackr's native accelerator (it falls back to plain JavaScript) and pg's Cloudflare socket shim.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# A 32 MB semi-space (V8's default is 16) halves a busy gateway's young-generation collections: a median
# +29% full-pipeline requests/s in bench/ for about 30 MB more at peak (docs/deployment.md). Node reads it
# only at start, so it is set here; bench/ runs Tollgate with the NODE_OPTIONS it finds here.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=32 \
    PORT=4000 \
    TOLLGATE_DATA_DIR=/var/lib/tollgate
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY prisma ./prisma
COPY examples ./examples
# Application files stay owned by root (read-only for the process); only the data folder, used by the
# embedded database when no DATABASE_URL is set, is writable by the runtime user.
RUN mkdir -p /app/config "${TOLLGATE_DATA_DIR}" && chown 1000:1000 "${TOLLGATE_DATA_DIR}"
# Numeric user (the image's `node` user) so Kubernetes can verify runAsNonRoot without a runAsUser.
USER 1000:1000
EXPOSE 4000
# The slim image has no curl; Node itself probes the liveness endpoint on the configured PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT||4000,path:'/health/liveliness',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/tollgate.js"]
CMD ["start", "--config", "/app/config/config.yaml"]
