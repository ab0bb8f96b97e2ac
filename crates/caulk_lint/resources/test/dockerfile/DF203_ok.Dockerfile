FROM ubuntu:24.04
RUN useradd -m dev
# Steps that need root run as root, explicitly.
USER root
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
# Mentioning sudo is not running it.
RUN echo "sudo is not installed in this image"
USER dev
