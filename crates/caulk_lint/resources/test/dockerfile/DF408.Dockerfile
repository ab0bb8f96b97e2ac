# A single-stage build: the compiler and headers ship with the app.
FROM python:3.12-slim
# Flagged: gcc, libpq-dev and make (curl is DF407's business).
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev make curl \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . /app
USER 10001
CMD ["python", "/app/app.py"]
