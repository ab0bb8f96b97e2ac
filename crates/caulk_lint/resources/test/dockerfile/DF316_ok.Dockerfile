FROM debian:12.7
# A current base image, and only the package that needs a fix upgraded by name.
RUN apt-get update \
    && apt-get install -y --no-install-recommends --only-upgrade openssl \
    && rm -rf /var/lib/apt/lists/*
