FROM node:22-slim
WORKDIR /app
# Two sources into a path without a trailing slash.
COPY package.json package-lock.json /app
RUN npm ci
COPY src public /app/static
CMD ["node", "server.js"]
