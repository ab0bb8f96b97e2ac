FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt constraints.txt ./
# Refreshing the installer itself, then installing from a pinned requirements file.
RUN pip install --upgrade pip setuptools wheel \
    && pip install -r requirements.txt
# Version specifiers, constraints files, local paths, wheels and VCS refs are all pinned.
RUN pip install 'gunicorn==22.0.0' 'uvicorn[standard]~=0.30' \
    && pip install -c constraints.txt celery redis \
    && pip install ./vendor/internal-1.0-py3-none-any.whl git+https://github.com/example/toolkit.git@v1.4.0
COPY . .
RUN pip install .
