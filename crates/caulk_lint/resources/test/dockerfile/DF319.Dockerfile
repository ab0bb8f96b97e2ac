FROM debian:12
# The index is refreshed in its own RUN: once cached, the install below uses a stale index.
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    && rm -rf /var/lib/apt/lists/*
