FROM ubuntu:18.04
RUN apt-get update && apt-get install -y python3-pip
RUN pip3 install flask requests
COPY app.py .
USER root
# Flagged with a safe fix: the shell adds nothing here.
CMD ["sh", "-c", "python3 app.py"]
