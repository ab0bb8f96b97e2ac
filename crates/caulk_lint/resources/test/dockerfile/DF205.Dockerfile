FROM ubuntu:18.04
RUN apt-get update && apt-get install -y openssh-server
# Flagged: appended to sshd_config.
RUN echo "PermitRootLogin yes" >> /etc/ssh/sshd_config
# Flagged: the sed replacement enables it (the pattern part does not count).
RUN sed -ri 's/^#?PermitRootLogin\s+.*/PermitRootLogin yes/' /etc/ssh/sshd_config
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D"]
