FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
# pm2 has no version, npm@latest follows a moving tag.
RUN npm install -g pm2 npm@latest
