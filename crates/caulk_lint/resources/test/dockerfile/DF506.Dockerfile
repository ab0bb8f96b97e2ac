FROM python:3.12-slim
RUN useradd --create-home app
WORKDIR /app
COPY --chown=app:app . .
# "Permission denied" fixed the quick way: every user may now rewrite the code.
RUN mkdir -p /app/uploads && chmod -R 777 /app
# Symbolic modes too.
RUN chmod o+w /etc/app.conf
# A shared scratch directory with the sticky bit is fine.
RUN mkdir -p /var/cache/shared && chmod 1777 /var/cache/shared
USER app
CMD ["python", "-m", "app"]
