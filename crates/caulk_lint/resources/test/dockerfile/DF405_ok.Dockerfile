FROM node:22-bookworm-slim AS base
ENTRYPOINT ["/app/docker-entrypoint.sh"]

FROM base
WORKDIR /app
COPY . .
ENTRYPOINT ["node", "server.js"]
