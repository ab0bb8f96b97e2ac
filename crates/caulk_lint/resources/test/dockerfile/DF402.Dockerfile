FROM python:3.12-slim
RUN useradd --system --uid 10001 app
COPY . /app
WORKDIR /app
USER 10001
# Flagged, with a safe fix to the exec form: nothing here needs a shell.
CMD exec gunicorn --bind 0.0.0.0:8000 'app:create_app()'
