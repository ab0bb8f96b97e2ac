FROM opensuse/leap:15.6
# curl is unpinned; git carries a version constraint.
RUN zypper -n install curl 'git>=2.43' && zypper clean -a
