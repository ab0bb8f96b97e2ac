FROM rockylinux:9
RUN dnf install -y httpd-2.4.57 mod_ssl-2.4.57 && dnf clean all
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y git-2.43.5
RUN dnf install -y jq-1.6 && rm -rf /var/cache/dnf
