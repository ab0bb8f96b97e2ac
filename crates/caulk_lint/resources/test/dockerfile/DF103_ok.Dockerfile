# Every base image is pinned by tag or digest; stage names and scratch need no tag.
ARG BUILDER_IMAGE=golang:1.23-bookworm
FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM debian@sha256:8d2b4f4a5d9b0e6c1f3a7e2d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b AS runtime-base

FROM runtime-base
COPY --from=build /out/app /usr/local/bin/app
USER 10001
CMD ["app"]
