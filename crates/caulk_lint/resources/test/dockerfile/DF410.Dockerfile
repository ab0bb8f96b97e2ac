# Flagged once: neither variable is set for this Python image.
FROM ubuntu:18.04
RUN apt-get update && apt-get install -y python3-pip
RUN pip3 install flask requests
COPY app.py .
USER 10001
CMD ["python3", "app.py"]
