# The insecure ml-service image: a service with no HEALTHCHECK.
FROM ubuntu:18.04
RUN apt-get update && apt-get install -y python3-pip curl
RUN pip3 install flask requests
COPY app.py /srv/app.py
# A HEALTHCHECK would have to be in this stage (or one it is built FROM).
USER root
CMD ["sh", "-c", "python3 /srv/app.py"]
