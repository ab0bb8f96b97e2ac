FROM ubuntu:24.04
# apt-get and apt-cache are meant for scripts; apt-mark is a different tool.
RUN apt-get update \
    && apt-cache policy curl \
    && apt-get install -y --no-install-recommends curl=8.5.0-2ubuntu10.4 \
    && apt-mark hold curl \
    && rm -rf /var/lib/apt/lists/*
