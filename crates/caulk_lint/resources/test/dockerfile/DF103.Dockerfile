# Base images named without a tag or digest resolve to `:latest`.
ARG BUILDER_IMAGE=golang
# Flagged: the ARG default has no tag.
FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

# Flagged: no tag at all.
FROM debian
COPY --from=build /out/app /usr/local/bin/app
USER 10001
CMD ["app"]
