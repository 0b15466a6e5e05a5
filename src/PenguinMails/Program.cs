using PenguinMails;
using PenguinMails.Cli;
using PenguinMails.Memory;

if (CliApp.IsCommand(args))
{
    return await CliApp.RunAsync(args);
}

GlibcHeap.LimitArenas();
var app = ServerApp.Build(args.Length > 0 && args[0] == "serve" ? args[1..] : args);
await ServerApp.PrepareDatabaseAsync(app, CancellationToken.None);
await app.RunAsync();
return 0;

/// <summary>The entry point; public so that tests can start the server with WebApplicationFactory.</summary>
public partial class Program;
