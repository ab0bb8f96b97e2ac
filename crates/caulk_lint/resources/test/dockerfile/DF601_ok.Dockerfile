FROM node:22-slim
ARG APP_HOME=/srv/app
WORKDIR ${APP_HOME}
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# Relative to our own absolute WORKDIR: well defined.
WORKDIR dist
CMD ["node", "server.js"]
