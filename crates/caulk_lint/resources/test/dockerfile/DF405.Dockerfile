FROM node:22-bookworm-slim
WORKDIR /app
COPY . .
# Flagged: overridden by the ENTRYPOINT below.
ENTRYPOINT ["/app/docker-entrypoint.sh"]
ENTRYPOINT ["node", "server.js"]
