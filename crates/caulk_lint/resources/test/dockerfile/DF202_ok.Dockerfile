FROM ubuntu:24.04
RUN useradd --system --uid 10001 app
# root for the steps that need it, then back to the app user
USER root
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
USER app
CMD ["python3", "app.py"]
