# Python 3.9 left support in October 2025.
FROM python:3.9-slim
CMD ["python3", "app.py"]
