# Cairn image: multi-stage, non-root, needs nothing beyond the npm registry and Debian's packages.
# Node 24 is the newest LTS line better-sqlite3 12 builds for (see README "Deployment"); it runs the
# TypeScript sources itself (type stripping), so the image needs no tsx loader at run time.
#
# The app it serves: the example (examples/blog) by default; an app in this checkout with
#   docker build --build-arg APP_DIR=apps/shop -t shop .
# or one anywhere else (the named context replaces the `app` stage below):
#   docker build --build-context app=../my-app -t my-app path/to/cairn

FROM scratch AS app
ARG APP_DIR=examples/blog
COPY ${APP_DIR} /

FROM node:24-bookworm-slim AS build
# better-sqlite3 compiles from source when its prebuilt download is unreachable.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json prisma.config.ts ./
COPY examples ./examples
COPY src ./src
# npm ci's postinstall runs `cairn generate` for the example: clients + datamodel + schema.graphql, offline.
RUN npm ci --no-audit --no-fund
RUN npm run typecheck
COPY --from=app / ./app
# The app's own install (a `file:` link to Cairn) is not needed: Cairn's node_modules serve it.
RUN rm -rf app/node_modules app/src/generated app/data \
 && cd app && node /app/src/cli/bin.js generate
RUN npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    DATABASE_URL=file:/data/cairn.db \
    CAIRN_STORAGE_DIR=/data/files
RUN mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app /app
WORKDIR /app/app
USER node
EXPOSE 4000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `cairn start`: applies the pending migrations of prisma/migrations/<provider of DATABASE_URL>
# (an error in production when there are none), then serves.
CMD ["node", "/app/src/cli/bin.js", "start"]
