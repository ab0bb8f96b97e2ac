FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# Released versions, and tools whose version go.mod already requires.
RUN go install github.com/go-delve/delve/cmd/dlv@v1.23.1 \
    && go install github.com/golang/mock/mockgen
COPY . .
RUN go install ./cmd/...

FROM gcr.io/distroless/static-debian12
COPY --from=build /go/bin/app /app
ENTRYPOINT ["/app"]
