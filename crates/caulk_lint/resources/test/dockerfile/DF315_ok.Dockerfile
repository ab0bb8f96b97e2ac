FROM python:3.12-slim AS build
# A build stage's cache is thrown away.
RUN pip wheel --wheel-dir /wheels flask==3.0.3

FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir -r requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install /wheels/*.whl
RUN PIP_NO_CACHE_DIR=1 pip install gunicorn==22.0.0
