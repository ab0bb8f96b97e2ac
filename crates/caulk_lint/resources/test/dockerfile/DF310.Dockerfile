FROM debian:12
# apt-get install has no -y: the build aborts at the first "Do you want to continue?".
RUN apt-get update \
    && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8 \
    && rm -rf /var/lib/apt/lists/*
# A single -q does not answer the prompt (only -qq does).
RUN apt-get -q purge --auto-remove curl
