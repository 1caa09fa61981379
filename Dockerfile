# syntax=docker/dockerfile:1
# The ACS image: one image for every role (cwmp, api, fs, worker); `acs` is the entry point and
# `serve` (all roles in one process) the default command. Build: docker build -t cwmp-acs:0.1.0 .
#
# Node 26 "Lithium" has been the Active LTS line since 2026-10-28.
ARG NODE_IMAGE=node:26.13.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY schemas ./schemas
COPY migrations ./migrations
COPY src ./src
COPY tools/build.js ./tools/build.js
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && chmod 0755 dist/src/cli/main.js

FROM ${NODE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="cwmp-acs" \
      org.opencontainers.image.description="TR-069 (CWMP) auto-configuration server for Cisco MPP phones and any CWMP device" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/${NODE_IMAGE}"
ENV NODE_ENV=production
WORKDIR /app
# Root owns the application files; the process runs as the unprivileged `node` user (1000) and
# writes nothing outside /tmp, so the root filesystem can be mounted read-only.
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/schemas ./schemas
RUN ln -s /app/dist/src/cli/main.js /usr/local/bin/acs
USER 1000:1000
# cwmp, api, fs
EXPOSE 7547 7557 7567
# ACS_HEALTHCHECK_URL is read only by this check: point it at a role this container runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.ACS_HEALTHCHECK_URL || 'http://127.0.0.1:7547/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["acs"]
CMD ["serve"]
