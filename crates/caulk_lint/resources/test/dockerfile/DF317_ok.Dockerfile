FROM debian:12
# The repository's key is installed and named with signed-by.
COPY internal-archive-keyring.gpg /usr/share/keyrings/
RUN echo 'deb [signed-by=/usr/share/keyrings/internal-archive-keyring.gpg] https://apt.example.com stable main' \
        > /etc/apt/sources.list.d/internal.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends internal-tool=1.4.2 \
    && rm -rf /var/lib/apt/lists/*

FROM rockylinux:9
RUN rpm --import https://example.com/RPM-GPG-KEY-agent \
    && dnf install -y https://example.com/agent-2.1-1.noarch.rpm \
    && dnf clean all
