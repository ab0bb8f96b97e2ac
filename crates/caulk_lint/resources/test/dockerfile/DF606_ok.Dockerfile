FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/api /api
# Images can be copied from directly.
COPY --from=busybox:1.36 /bin/busybox /busybox
ENTRYPOINT ["/api"]
