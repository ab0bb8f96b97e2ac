# Every base image comes from a trusted registry (or the rule is not configured at all).
FROM registry.example.com/mirror/golang:1.23 AS build
RUN go build -o /out/app .

FROM eu.gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
CMD ["/app"]
