# Overdue in a container: SQLite store in the /data volume, listening on every interface, as a non-root user.
#   docker build -t overdue .
#   docker run -d --name overdue -p 8000:8000 -v overdue-data:/data -e OVERDUE_PUBLIC_URL=http://your-host:8000 overdue
# See docs/operations/install.md.

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles its native module when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY scripts ./scripts
COPY packages ./packages
RUN npm ci \
 && npm run build \
 && npm prune --omit=dev \
 && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    OVERDUE_HOST=0.0.0.0 \
    OVERDUE_PORT=8000 \
    OVERDUE_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8000
# SIGTERM lets in-flight signals commit and hands back notification claims (OVERDUE_SHUTDOWN_GRACE_S, default 10 s);
# give `docker stop` more than that: docker stop -t 30.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.OVERDUE_PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/packages/server/dist/main.js"]
CMD ["serve"]
