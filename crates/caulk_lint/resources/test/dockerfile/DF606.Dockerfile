FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12
# The stage is called "build": BuildKit would try to pull an image named "builder".
COPY --from=builder /out/api /api
ENTRYPOINT ["/api"]
