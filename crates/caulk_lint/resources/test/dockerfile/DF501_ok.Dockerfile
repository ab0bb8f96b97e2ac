FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# The script is saved, checked against its published checksum, then run.
RUN curl -fsSLo /tmp/setup.sh https://deb.nodesource.com/setup_22.x \
    && echo "0b2fa0ad9d4b3c2a4e8a3f1d6c7e5b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a  /tmp/setup.sh" | sha256sum -c - \
    && bash /tmp/setup.sh && rm /tmp/setup.sh \
    && apt-get install -y --no-install-recommends nodejs
# Data piped into an interpreter that runs its own code is not a script download.
RUN curl -fsSL https://api.github.com/repos/cli/cli/releases/latest | python3 -c 'import json,sys; print(json.load(sys.stdin)["tag_name"])'
# Archives piped into tar are not run.
RUN curl -fsSL https://example.com/tool-1.2.3.tar.gz | tar -xz -C /opt
