FROM debian:12
# Every package carries a version (or a release, or is a local .deb).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 git/bookworm-backports ./vendor/tool.deb \
    && rm -rf /var/lib/apt/lists/*
