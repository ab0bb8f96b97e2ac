FROM debian:12
# Upgrades whatever the mirror has today, on top of the base image's files.
RUN apt-get update \
    && apt-get -y dist-upgrade \
    && rm -rf /var/lib/apt/lists/*
