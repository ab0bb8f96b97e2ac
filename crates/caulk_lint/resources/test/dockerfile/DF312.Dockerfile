FROM debian:12
# The lists downloaded by apt-get update stay in this layer.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    && apt-get clean
