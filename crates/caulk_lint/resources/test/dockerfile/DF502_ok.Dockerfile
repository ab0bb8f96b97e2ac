FROM alpine:3.20
ARG TINI_VERSION=v0.19.0
# The download is checked against the published digest.
ADD --checksum=sha256:c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee \
    https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini-static /sbin/tini
# The Git source is pinned to a full commit hash.
ADD https://github.com/example/config.git#2f6d2b8c7e1a9f4b3d5c6e7f8a9b0c1d2e3f4a5b /etc/app/
ADD rootfs.tar.gz /
RUN chmod +x /sbin/tini
ENTRYPOINT ["/sbin/tini", "--"]
