FROM alpine:3.20
# curl and bash are unpinned; git is pinned exactly and jq to a minor series.
RUN apk add --no-cache curl bash git=2.45.2-r0 jq~1.7
# `@community` selects a repository, not a version: still unpinned.
RUN apk add --no-cache shadow@community
