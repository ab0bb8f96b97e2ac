FROM node:22-slim AS build
WORKDIR /app
# A token declared as a build argument is recorded in the image history.
ARG NPM_TOKEN
COPY package.json package-lock.json ./
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
# A default password baked into the image configuration.
ENV DB_HOST=db DB_USER=app DB_PASSWORD=changeme-in-prod
# A credential under a neutral name.
ENV S3_CONFIG=AKIAIOSFODNN7EXAMPLE
# Names about secrets rather than secrets: not reported.
ENV DB_PASSWORD_FILE=/run/secrets/db_password TOKEN_URL=https://auth.example.com/token
CMD ["node", "server.js"]
