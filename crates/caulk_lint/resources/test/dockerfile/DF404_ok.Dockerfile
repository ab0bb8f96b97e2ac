FROM python:3.12-slim AS base
COPY . /app
CMD ["python", "/app/worker.py"]

# A child stage overriding its parent's CMD is normal.
FROM base
ONBUILD CMD ["python", "/app/child.py"]
CMD ["python", "/app/app.py"]
