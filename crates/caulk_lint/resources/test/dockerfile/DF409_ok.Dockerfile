FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM alpine:3.20 AS runtime
RUN apk add --no-cache ca-certificates=20240705-r0 \
    && rm -rf /sbin/apk /etc/apk /lib/apk /usr/share/apk
COPY --from=build /out/app /app
USER 10001
CMD ["/app"]

# The image that is built: the last stage, which inherits the removal from `runtime`.
FROM runtime
LABEL org.opencontainers.image.title="app"
