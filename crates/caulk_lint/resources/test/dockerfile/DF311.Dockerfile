FROM debian:12
# Recommended packages come along: dozens of packages nobody asked for.
RUN apt-get update \
    && apt-get install -y ca-certificates=20230311 curl=7.88.1-10+deb12u8 \
    && rm -rf /var/lib/apt/lists/*
