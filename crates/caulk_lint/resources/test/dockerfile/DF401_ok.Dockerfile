FROM python:3.9-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
# Inherited by the final stage.
HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \
    CMD curl -f http://localhost:5000/health || exit 1

FROM base
COPY app.py .
ENTRYPOINT ["python"]
CMD ["app.py"]
