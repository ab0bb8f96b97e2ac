FROM node:22 AS build
WORKDIR /web
COPY web/ .
RUN npm ci && npm run build

# Copy-pasted from the stage above: same name.
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
