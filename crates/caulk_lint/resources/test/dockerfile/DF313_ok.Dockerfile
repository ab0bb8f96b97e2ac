FROM alpine:3.20 AS build
# A build stage's caches are not shipped.
RUN apk add gcc~13.2 musl-dev~1.2

FROM alpine:3.20
RUN apk add --no-cache curl=8.9.1-r2
RUN apk add jq~1.7 && rm -rf /var/cache/apk/*
RUN --mount=type=cache,target=/var/cache/apk apk add bash~5.2
