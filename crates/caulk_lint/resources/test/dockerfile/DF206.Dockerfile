FROM debian:12
RUN apt-get update && apt-get install -y openssh-server && echo 'app:changeme' | chpasswd
# Flagged twice: password logins, and logins without any password.
COPY <<EOF /etc/ssh/sshd_config.d/10-passwords.conf
PasswordAuthentication yes
PermitEmptyPasswords yes
EOF
CMD ["/usr/sbin/sshd", "-D"]
