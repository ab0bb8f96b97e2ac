FROM nginx:1.27
COPY default.conf.template /etc/nginx/templates/
# The shell does real work, then `exec` hands PID 1 to nginx.
CMD ["/bin/sh", "-c", "envsubst '$PORT' < /etc/nginx/templates/default.conf.template > /etc/nginx/conf.d/default.conf && exec nginx -g 'daemon off;'"]
