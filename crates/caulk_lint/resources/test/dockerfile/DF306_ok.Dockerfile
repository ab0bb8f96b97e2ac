FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
# Installing from the lockfile, and global tools at exact versions.
RUN npm ci --omit=dev \
    && npm install -g pm2@5.4.2 @angular/cli@18.2.1 \
    && npm install ./vendor/internal-pkg.tgz
