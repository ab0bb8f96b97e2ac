# An SSH server used only by a test stage is not shipped.
FROM debian:12 AS integration-test
RUN apt-get update && apt-get install -y openssh-server && /usr/sbin/sshd -t

FROM debian:12
# The client alone is not a server (DF407 judges whether it belongs in the image).
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client && rm -rf /var/lib/apt/lists/*
USER 10001
