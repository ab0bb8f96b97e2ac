FROM debian:12
# curl and git are unpinned; the pinned and local packages are fine.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl git ca-certificates=20230311 ./vendor/tool.deb \
    && rm -rf /var/lib/apt/lists/*
