FROM python:3.12-slim
WORKDIR /app
# Plain files copied with ADD: COPY says what happens.
ADD requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# A zip is not unpacked by ADD: it lands as is.
ADD static.zip /app/static/
# A directory.
ADD src/ /app/src/
# Tarballs are what ADD is for: not reported.
ADD vendor/wheels.tar.gz /opt/wheels/
CMD ["python", "-m", "app"]
