FROM node:22-slim
WORKDIR /srv/app
COPY . .
RUN npm ci --omit=dev
# Building a dependency from source in a temporary directory, and in a subshell.
RUN curl -fsSL https://example.com/native-1.0.tar.gz | tar -xz -C /tmp \
    && cd /tmp/native-1.0 && ./configure && make install \
    && cd / && rm -rf /tmp/native-1.0
RUN (cd native && make)
CMD ["node", "server.js"]
