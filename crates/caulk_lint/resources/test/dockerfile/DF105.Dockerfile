# DF105 only runs when `trusted-registries` is configured, e.g. in .caulk.toml:
#   trusted-registries = ["registry.example.com", "*.gcr.io"]
# With that list, both base images below come from untrusted registries.
FROM quay.io/someone/builder:2.1 AS build
RUN make

# Docker Hub (`docker.io`) is not in the list either.
FROM python:3.12-slim
COPY --from=build /out /app
