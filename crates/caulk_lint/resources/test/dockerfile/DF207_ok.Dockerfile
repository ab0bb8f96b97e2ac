# A test stage's EXPOSE does not reach the image.
FROM ubuntu:24.04 AS sshd-test
EXPOSE 22

FROM ubuntu:24.04
# Other ports, and UDP 22, are not remote shells.
EXPOSE 8080 2222 22/udp
