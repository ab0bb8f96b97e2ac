FROM python:3.12-slim
RUN useradd --system --uid 10001 app
COPY . /app
WORKDIR /app
USER 10001
# HEALTHCHECK's shell form is normal.
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/')" || exit 1
# An overridden shell-form CMD is DF404's business; the effective one is exec form.
CMD python app.py
ENTRYPOINT ["gunicorn", "--bind", "0.0.0.0:8000"]
CMD ["app:create_app()"]
