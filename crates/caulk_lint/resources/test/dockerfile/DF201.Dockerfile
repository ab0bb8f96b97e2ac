# The build stage's USER does not matter; the final image never sets one.
FROM python:3.12-slim AS build
RUN useradd --create-home builder
USER builder
RUN pip wheel --wheel-dir /home/builder/wheels flask==3.0.3

# Flagged: no USER here, so the app runs as root (python's default user).
FROM python:3.12-slim
COPY --from=build /home/builder/wheels /wheels
RUN pip install --no-cache-dir /wheels/*
COPY app.py /app/
CMD ["python", "/app/app.py"]
