var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
app.MapGet("/api/session", (HttpContext ctx) => Results.Ok(new { id = Guid.NewGuid() }));
app.Run();
