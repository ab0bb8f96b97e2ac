FROM python:3.12-slim
# No WORKDIR: "." is the base image's working directory ("/" here).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
