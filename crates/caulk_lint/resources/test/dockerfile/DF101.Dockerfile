# The shipped image is built on Ubuntu 18.04, out of support since 2023.
FROM ubuntu:18.04
RUN apt-get update
CMD ["bash"]
