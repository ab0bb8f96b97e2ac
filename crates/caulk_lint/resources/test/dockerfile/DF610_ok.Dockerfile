FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY src public /app/static/
# One file whose name is not known in advance: a single wildcard source is fine.
COPY dist/*.tgz /app/bundle.tgz
CMD ["node", "server.js"]
