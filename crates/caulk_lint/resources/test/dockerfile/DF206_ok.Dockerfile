FROM debian:12
RUN apt-get update && apt-get install -y openssh-server
# Keys only.
COPY <<EOF /etc/ssh/sshd_config.d/10-keys-only.conf
PasswordAuthentication no
PermitEmptyPasswords no
# PasswordAuthentication yes  (commented out)
EOF
CMD ["/usr/sbin/sshd", "-D"]
