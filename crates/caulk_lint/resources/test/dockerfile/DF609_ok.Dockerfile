FROM nginx:1.27-alpine
ARG METRICS_PORT=9100
EXPOSE 80 443/tcp 8080
EXPOSE ${METRICS_PORT} 53/udp 6000-6010/tcp
# Unknown until build time: not judged.
EXPOSE ${EXTRA_PORT}
