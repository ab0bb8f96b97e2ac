# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
# The token is mounted for this one command and never stored.
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
ENV DB_HOST=db DB_USER=app
# The password is read from a file provided at run time.
ENV DB_PASSWORD_FILE=/run/secrets/db_password TOKEN_URL=https://auth.example.com/token
CMD ["node", "server.js"]
