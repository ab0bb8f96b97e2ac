FROM node:22 AS web-build
WORKDIR /web
COPY web/ .
RUN npm ci && npm run build

FROM golang:1.23 AS api-build
WORKDIR /src
COPY . .
RUN go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12
COPY --from=api-build /out/api /api
COPY --from=web-build /web/dist /static
ENTRYPOINT ["/api"]
