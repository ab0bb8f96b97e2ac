FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY static.zip /app/static/
COPY src/ /app/src/
# ADD unpacks the local tarball and downloads the remote file.
ADD vendor/wheels.tar.gz /opt/wheels/
ADD --checksum=sha256:c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee https://example.com/model.bin /app/model.bin
CMD ["python", "-m", "app"]
