FROM debian:12
# -y, --yes, -qq (quiet level 2 implies yes), and answers piped from `yes`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    && apt-get -qq install wget=1.21.3-1+b2 \
    && yes | apt-get purge --auto-remove curl \
    && rm -rf /var/lib/apt/lists/*
