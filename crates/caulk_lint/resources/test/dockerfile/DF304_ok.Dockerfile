FROM opensuse/leap:15.6
# Exact versions, ranges, a local RPM, and patterns (which have no versions).
RUN zypper -n install curl=8.6.0 'git<3' ./vendor/tool-1.0-1.x86_64.rpm \
    && zypper -n install -t pattern devel_basis \
    && zypper clean -a
