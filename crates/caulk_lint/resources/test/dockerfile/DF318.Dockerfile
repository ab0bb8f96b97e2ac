FROM opensuse/leap:15.6
# No zypper clean: the repository metadata stays in /var/cache/zypp.
RUN zypper -n refresh && zypper -n install curl=8.6.0
