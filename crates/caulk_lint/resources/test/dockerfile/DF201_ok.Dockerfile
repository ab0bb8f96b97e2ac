FROM python:3.12-slim AS base
RUN useradd --system --uid 10001 --no-create-home app
# The USER of the parent stage is inherited by the final stage.
USER 10001

FROM base
COPY app.py /app/
CMD ["python", "/app/app.py"]
