FROM golang:1.23 AS build
WORKDIR /src
# @latest resolves to whatever was tagged last; gopls is pinned.
RUN go install github.com/go-delve/delve/cmd/dlv@latest \
    && go install golang.org/x/tools/gopls@v0.16.1
COPY . .
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
