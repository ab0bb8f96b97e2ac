FROM ubuntu:24.04
RUN apt-get update && apt-get install -y openssh-server
# Key-only root login and explicit denials are not reported.
RUN echo "PermitRootLogin prohibit-password" >> /etc/ssh/sshd_config
RUN sed -i 's/PermitRootLogin yes/PermitRootLogin no/' /etc/ssh/sshd_config
# A commented line does nothing.
RUN echo "#PermitRootLogin yes" >> /etc/ssh/sshd_config
CMD ["/usr/sbin/sshd", "-D"]
