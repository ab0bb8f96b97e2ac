# A supported runtime.
FROM python:3.13-slim
CMD ["python3", "app.py"]
