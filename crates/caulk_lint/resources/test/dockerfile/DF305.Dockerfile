FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
# flask is unpinned; requests is pinned.
RUN pip install flask requests==2.32.3
# A Git dependency without a tag or commit follows the branch head.
RUN python3 -m pip install git+https://github.com/example/toolkit.git
