// greeter: a dependency-free HTTP service on Node's built-in http module.
"use strict";

const http = require("node:http");

const port = Number(process.env.PORT || 3000);

const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "ok" }));
    return;
  }
  const url = new URL(req.url, "http://localhost");
  const name = url.searchParams.get("name") || "world";
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
  res.end(`hello, ${name}\n`);
});

server.listen(port, () => console.log(`greeter listening on ${port}`));

process.on("SIGTERM", () => server.close(() => process.exit(0)));
