FROM nginx:1.27-alpine
ARG METRICS_PORT=91000
# A typo and a variable holding something that is no port.
EXPOSE 80 4430/tcp 80800
EXPOSE ${METRICS_PORT}
# Misspelled protocol.
EXPOSE 8443/tpc
