FROM debian:12 AS build
# A build stage may pull recommends: its layers are not shipped.
RUN apt-get update && apt-get install -y build-essential=12.9 && rm -rf /var/lib/apt/lists/*
RUN make -C /src

FROM debian:12
# --no-install-recommends on the command, or APT configured not to install them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 curl=7.88.1-10+deb12u8 \
    && rm -rf /var/lib/apt/lists/*
RUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99no-recommends
RUN apt-get update && apt-get install -y tini=0.19.0-1 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/out /usr/local/bin/app
