# The insecure ml-service image.
FROM ubuntu:18.04
# Flagged: curl, wget, git and openssh-client stay in the image and nothing uses them
# (openssh-server is DF204, python3-pip is needed).
RUN apt-get update && apt-get install -y \
    python3-pip \
    curl \
    wget \
    git \
    openssh-server \
    openssh-client
RUN pip3 install flask requests
USER root
CMD ["sh", "-c", "python3 app.py"]
