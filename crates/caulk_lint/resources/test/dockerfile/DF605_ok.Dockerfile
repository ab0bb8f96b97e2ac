FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM node:22-slim
WORKDIR /app
# Copied as root, before switching users: root-owned code the app only reads.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY --chown=node:node . .
USER node
# Binaries go to a system path: root-owned on purpose.
COPY --from=build /out/server /usr/local/bin/server
CMD ["node", "server.js"]
