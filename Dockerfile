# syntax=docker/dockerfile:1
# The gateway and dashboard as one self-hosted image (README "Self-hosting").
#   deps   : every dependency (the build needs the dev ones), cached on package-lock.json
#   build  : `next build` in standalone mode + the node:http server bundle, then only the files
#            they load at run time (Next's trace plus a trace of .next/llmcp-server.mjs)
#   runtime: the base image + those files; non-root, tini as PID 1 forwarding SIGTERM to node (the
#            drain of in-flight calls), the spool on a volume, HEALTHCHECK on the readiness probe.
# The base is made locally (scripts/image/base.sh: debootstrap bookworm + Node 20 + tini); any
# Debian-based Node 20 image works as BASE_IMAGE (e.g. node:20-bookworm-slim; tini is then installed).
ARG BASE_IMAGE=localhost/llmcp-base:bookworm-node20

FROM ${BASE_IMAGE} AS deps
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund --loglevel=error

FROM deps AS build
COPY . .
# LLMCP_STANDALONE: next.config.ts switches to output "standalone" (and leaves the type check to CI).
RUN LLMCP_STANDALONE=1 npm run build \
 && node scripts/image/assemble.mjs /out

FROM ${BASE_IMAGE} AS runtime
RUN if [ ! -x /usr/bin/tini ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends tini && rm -rf /var/lib/apt/lists/*; fi \
 && groupadd --gid 10001 llmcp \
 && useradd --no-log-init --uid 10001 --gid llmcp --home-dir /var/lib/llmcp --no-create-home --shell /usr/sbin/nologin llmcp \
 && mkdir -p /var/lib/llmcp/spool /var/lib/llmcp/pglite /app/.next/cache \
 && chown -R llmcp:llmcp /var/lib/llmcp /app/.next/cache
WORKDIR /app
# Application files stay owned by root (read-only to the process); only the volume and Next's cache are writable.
COPY --from=build /out/ /app/
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    RECORDER_SPOOL_DIR=/var/lib/llmcp/spool \
    PGLITE_DATA_DIR=/var/lib/llmcp/pglite
VOLUME ["/var/lib/llmcp"]
USER llmcp
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "/app/start.mjs"]
