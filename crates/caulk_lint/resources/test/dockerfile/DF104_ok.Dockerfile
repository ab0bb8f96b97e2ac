# Versions are pinned; a digest pins even a `latest` tag.
ARG NODE_TAG=22-bookworm-slim
FROM node:${NODE_TAG} AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginx:latest@sha256:0f5b2a1c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8
COPY --from=build /app/dist /usr/share/nginx/html
