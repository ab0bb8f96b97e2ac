FROM alpine:3.20
# apk update + apk add keep the index in /var/cache/apk.
RUN apk update && apk add curl=8.9.1-r2
