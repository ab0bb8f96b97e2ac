FROM rockylinux:9
# No dnf clean all: the repository metadata stays in the layer.
RUN dnf install -y httpd-2.4.57
# Cleaning before installing does not help.
RUN dnf clean all && dnf install -y mod_ssl-2.4.57
