FROM alpine:3.20
# Exact versions, minor-series pins, a local .apk, and the name of a --virtual group.
RUN apk add --no-cache curl=8.9.1-r2 bash~5.2 ./vendor/tool-1.0-r0.apk \
    && apk add --no-cache --virtual .build-deps gcc~13.2 musl-dev~1.2
# A package list in a build argument is not judged.
ARG EXTRA_PACKAGES
RUN apk add --no-cache $EXTRA_PACKAGES
