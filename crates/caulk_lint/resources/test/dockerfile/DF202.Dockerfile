FROM ubuntu:18.04
RUN apt-get update && apt-get install -y python3-pip
RUN pip3 install flask requests
# Switching to root for a setup step is fine...
USER root
RUN mkdir -p /srv/app
# ...but the last USER must not be root. Flagged:
USER root
CMD ["sh", "-c", "python3 app.py"]
