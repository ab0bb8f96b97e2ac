FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# The corporate CA is trusted instead of turning verification off.
COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
RUN update-ca-certificates
RUN curl -fsSL https://artifacts.example.com/tool -o /usr/local/bin/tool
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt GIT_SSL_CAINFO=/etc/ssl/certs/ca-certificates.crt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
RUN git config --global http.sslVerify true
