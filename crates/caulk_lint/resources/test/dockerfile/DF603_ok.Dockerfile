FROM python:3.12-slim AS base
WORKDIR /app

FROM base
# The WORKDIR of the parent stage applies.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]

FROM scratch AS export
# scratch always starts in /.
COPY --from=base /app/report.txt .
