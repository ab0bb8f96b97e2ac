FROM ubuntu:24.04
RUN apt-get update && apt-get install -y sudo && useradd -m dev && echo 'dev ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/dev
USER dev
# Flagged: both commands escalate with sudo.
RUN sudo apt-get update \
    && sudo apt-get install -y --no-install-recommends git
# Flagged: sudo inside a nested shell string.
RUN bash -c 'sudo make -C /opt/tool install'
