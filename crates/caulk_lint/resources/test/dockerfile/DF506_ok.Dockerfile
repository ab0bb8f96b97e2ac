FROM python:3.12-slim AS build
# Build stages are not shipped: loose modes there do not reach the image.
RUN mkdir /build && chmod 777 /build

FROM python:3.12-slim
RUN useradd --create-home app
WORKDIR /app
COPY --chown=app:app . .
# Only the upload directory belongs to the application user.
RUN mkdir -p /app/uploads && chown app:app /app/uploads && chmod 750 /app/uploads
RUN mkdir -p /var/cache/shared && chmod 1777 /var/cache/shared
USER app
CMD ["python", "-m", "app"]
