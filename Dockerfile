# syntax=docker/dockerfile:1
# One image for both processes: the web process (webhooks, /healthz, /readyz, /metrics) is the
# default; the worker runs the same image with `node dist/worker.js` (see docker-compose.yml).
# Node runs directly, not through npm, so SIGTERM reaches it and shutdown is graceful.

# The Node major CI tests on (package.json engines); test/deploy checks they agree.
ARG NODE_VERSION=20

# ---- build: all dependencies, compile TypeScript, then drop dev dependencies ----
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
# --ignore-scripts: the package's `prepare` script builds, and the sources are not copied yet
# (copying them first would reinstall every dependency on any source change). No dependency needs
# its install script: msgpackr-extract (BullMQ, optional) loads a prebuilt binary package, and
# msgpackr falls back to JavaScript without it.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts

# ---- runtime: production dependencies and compiled code only, as a non-root user ----
FROM node:${NODE_VERSION}-slim
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    PORT=3000 \
    LICENSE_SYNC_CONFIG=/etc/license-sync/license-sync.config.yml
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY app.yml ./
# The image's `node` user (uid 1000); the files above stay root-owned, so the process cannot
# change its own code.
USER node
EXPOSE 3000
# Liveness of the web process. The worker serves no HTTP: docker-compose.yml turns this off there.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/web.js"]
