FROM ubuntu:24.04
ARG SSH_PORT=22
RUN apt-get update && apt-get install -y telnetd openssh-server
# Flagged: the ARG expands to the SSH port.
EXPOSE 8080 ${SSH_PORT}
# Flagged: the range contains the telnet port 23.
EXPOSE 23-24/tcp
