FROM nginx:1.27
# Flagged: overridden by the HEALTHCHECK below.
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
COPY site /usr/share/nginx/html
HEALTHCHECK --interval=10s --timeout=3s CMD curl -f http://localhost/healthz || exit 1
