FROM debian:12-slim
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
