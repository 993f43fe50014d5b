using Kefu.Server.Hosting;

// Standalone host: `dotnet run --project src/Kefu.Server -- --Kefu:DataDirectory=DIR --Kefu:ApiKey=KEY`.
// The usual way to start the server is `kefu serve`, which builds the same application.
var configuration = new ConfigurationBuilder().AddEnvironmentVariables("KEFU_").AddCommandLine(args).Build();
var key = configuration["Kefu:ApiKey"] ?? throw new InvalidOperationException("Set Kefu:ApiKey (or KEFU_Kefu__ApiKey).");
var app = await KefuServer.BuildAsync(new KefuServerOptions
{
    DataDirectory = configuration["Kefu:DataDirectory"] ?? Path.Combine(Environment.CurrentDirectory, "kefu-data"),
    ApiKeys = [new ApiKey("default", key, Agent: true)],
    Urls = [configuration["Kefu:Urls"] ?? "http://127.0.0.1:5180"],
    KnowledgePaths = configuration.GetSection("Kefu:Knowledge").Get<List<string>>() ?? [],
    DatabaseConnectionString = configuration["Kefu:Database:ConnectionString"],
    BackendUrl = configuration["Kefu:BackendUrl"] is { Length: > 0 } backend ? new Uri(backend) : null,
    BackendModel = configuration["Kefu:BackendModel"],
});
await app.RunAsync();
