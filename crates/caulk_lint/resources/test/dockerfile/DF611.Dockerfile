FROM ubuntu:24.04
# apt is the interactive front end: its CLI may change under the script.
RUN apt update \
    && apt install -y --no-install-recommends curl=8.5.0-2ubuntu10.4 \
    && rm -rf /var/lib/apt/lists/*
