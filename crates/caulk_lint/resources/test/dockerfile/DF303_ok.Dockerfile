FROM rockylinux:9
# name-version, name-version-release, wildcard series, a version range, local and remote RPMs.
RUN dnf install -y httpd-2.4.57 java-17-openjdk-headless-17.0.12.0.7-2.el9 nginx-1.20* 'python3 >= 3.9' \
        ./vendor/tool-1.0-1.x86_64.rpm https://example.com/agent-2.1-1.noarch.rpm \
    && dnf module install -y nodejs:20/common \
    && dnf groupinstall -y 'Development Tools' \
    && dnf clean all
