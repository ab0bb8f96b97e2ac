FROM node:22-slim
# Relative to whatever the base image chose as its working directory.
WORKDIR app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "server.js"]
