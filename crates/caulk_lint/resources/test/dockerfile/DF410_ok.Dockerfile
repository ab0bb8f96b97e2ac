FROM python:3.9-slim AS base
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1

# Inherited from the parent stage.
FROM base
COPY app.py .
USER 10001
ENTRYPOINT ["python"]
CMD ["app.py"]
