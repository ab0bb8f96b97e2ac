FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

# Flagged: Alpine's apk stays usable in the final image.
FROM alpine:3.20
RUN apk add --no-cache ca-certificates=20240705-r0
COPY --from=build /out/app /app
USER 10001
CMD ["/app"]
