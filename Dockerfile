# Production image: multi-stage, production dependencies only, runs as the non-root "node" user.
# Build: docker build -t employment-policy-assistant .
# Run:   docker run -p 3000:3000 -v epa-data:/app/data employment-policy-assistant
# With Redis (several gateways, AOF): see docker-compose.yml.
#
# The application code and node_modules belong to root and are read-only for the process; only
# /app/data (the embedded SQLite store, a volume) is writable by "node". tsx runs the TypeScript
# sources directly (it is a production dependency), so there is no build output to keep in sync.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 (and wechaty's native modules) compile when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data \
    KNOWLEDGE_DIR=/app/knowledge \
    INTENTS_DIR=/app/intents
WORKDIR /app
# Same base as the deps stage, so the native addons match glibc and Node's ABI.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY knowledge ./knowledge
COPY intents ./intents
# The clause index, built once here and saved as knowledge/.index/clauses.snapshot: the server loads
# it at start instead of analysing every text (it rebuilds only if the knowledge files change).
RUN npm run index
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# A 16 MB semi-space, chosen by measurement (npm run bench -- --scale 1 with BENCH_SEMI_SPACE=16/32/64):
# the index now lives in typed arrays outside the JS heap, so a larger young generation only holds
# memory (64 MB: ~30 MB more idle RSS) for ~20 µs less GC per message.
# Node is PID 1 and handles SIGTERM itself (server.ts: stop accepting, finish in-flight, close stores).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=16", "--import", "tsx", "src/server/server.ts"]
