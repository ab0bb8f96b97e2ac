FROM nginx:1.27
COPY site /usr/share/nginx/html
HEALTHCHECK --interval=10s --timeout=3s CMD curl -f http://localhost/healthz || exit 1
