# `latest` moves with every upstream push.
ARG NODE_TAG=latest
# Flagged: the ARG default expands to `node:latest`.
FROM node:${NODE_TAG} AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

# Flagged: explicit `latest`.
FROM nginx:latest
COPY --from=build /app/dist /usr/share/nginx/html
