FROM python:3.12-slim
COPY . /app
# Flagged: overridden by the CMD below.
CMD ["python", "/app/worker.py"]
USER 10001
CMD ["python", "/app/app.py"]
