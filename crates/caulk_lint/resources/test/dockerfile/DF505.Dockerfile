FROM python:3.12-slim
# The corporate proxy re-signs TLS, so verification was switched off everywhere.
RUN apt-get update && apt-get install -y --no-install-recommends curl git \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLk https://artifacts.example.com/tool -o /usr/local/bin/tool
RUN pip install --no-cache-dir --trusted-host pypi.org --trusted-host files.pythonhosted.org -r /tmp/requirements.txt
RUN git config --global http.sslVerify false
ENV PYTHONHTTPSVERIFY=0 GIT_SSL_NO_VERIFY=1
