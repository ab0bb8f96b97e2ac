FROM debian:12-slim
MAINTAINER Jane Doe <jane@example.com>
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
