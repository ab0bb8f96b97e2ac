FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
# The downloaded wheels stay in /root/.cache/pip.
RUN pip install --upgrade pip \
    && pip install -r requirements.txt
