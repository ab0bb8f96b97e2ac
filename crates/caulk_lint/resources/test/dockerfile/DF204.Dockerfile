FROM ubuntu:18.04
# Flagged: openssh-server is a network login service; openssh-client is not a server.
RUN apt-get update && apt-get install -y \
    python3-pip \
    openssh-server \
    openssh-client
RUN mkdir /var/run/sshd
CMD ["python3", "app.py"]
