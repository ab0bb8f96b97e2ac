FROM debian:12
# Refresh and install in the same RUN.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    && rm -rf /var/lib/apt/lists/*
# The packages are installed through xargs: still an install after the refresh.
COPY packages.txt /tmp/
RUN apt-get update \
    && xargs -r apt-get install -y --no-install-recommends < /tmp/packages.txt \
    && rm -rf /var/lib/apt/lists/* /tmp/packages.txt
