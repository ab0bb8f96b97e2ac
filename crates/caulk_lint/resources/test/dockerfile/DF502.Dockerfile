FROM alpine:3.20
ARG TINI_VERSION=v0.19.0
# A binary downloaded by ADD with nothing to verify it.
ADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini-static /sbin/tini
# A Git source pinned to a tag, which can be moved.
ADD https://github.com/example/config.git#v1.4.0 /etc/app/
# Local files are not this rule's business.
ADD rootfs.tar.gz /
RUN chmod +x /sbin/tini
ENTRYPOINT ["/sbin/tini", "--"]
