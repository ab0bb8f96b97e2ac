FROM node:22-slim
COPY . /srv/app
# The directory change must be repeated in every RUN.
RUN cd /srv/app && npm ci --omit=dev
# This cd changes nothing for the instructions after it.
RUN mkdir -p /srv/app/logs && cd /srv/app
CMD ["node", "/srv/app/server.js"]
