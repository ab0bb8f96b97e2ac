FROM python:3.9-slim AS builder
# Tools in a build stage never reach the image.
RUN apt-get update && apt-get install -y --no-install-recommends git gcc
RUN git clone --depth 1 https://example.com/ml-service.git /src

FROM python:3.9-slim
# curl is kept because the HEALTHCHECK uses it.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
# wget is removed in the same RUN once it has fetched the model.
RUN apt-get update && apt-get install -y --no-install-recommends wget \
    && wget -q -O /model.bin https://example.com/model.bin \
    && apt-get purge -y --auto-remove wget && rm -rf /var/lib/apt/lists/*
COPY --from=builder /src /app
RUN groupadd -r appuser && useradd -r -g appuser appuser
USER appuser
HEALTHCHECK --interval=30s CMD curl -f http://localhost:5000/health || exit 1
ENTRYPOINT ["python"]
CMD ["/app/app.py"]
