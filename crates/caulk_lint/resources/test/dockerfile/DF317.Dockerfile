FROM debian:12
# A repository trusted without a key, and packages installed without signature checks.
RUN echo 'deb [trusted=yes] http://apt.example.com stable main' > /etc/apt/sources.list.d/internal.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends --allow-unauthenticated internal-tool=1.4.2 \
    && rm -rf /var/lib/apt/lists/*

FROM rockylinux:9
RUN dnf install -y --nogpgcheck https://example.com/agent-2.1-1.noarch.rpm && dnf clean all
