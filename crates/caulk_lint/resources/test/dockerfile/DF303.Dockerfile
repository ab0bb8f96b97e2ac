FROM rockylinux:9
# httpd and java-17-openjdk have no version (the 17 is part of the name).
RUN dnf install -y httpd java-17-openjdk-headless python3-3.9.18 \
    && dnf clean all
# A module without a stream installs the default stream of the day.
RUN dnf module install -y nodejs && dnf clean all
