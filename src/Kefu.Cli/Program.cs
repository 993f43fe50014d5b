using System.CommandLine;
using Kefu.Cli;

// On Ctrl+C or SIGTERM the running verb's cancellation token fires, and System.CommandLine then waits this long for
// it to finish before killing the process (its default, 2 s, would cut `kefu serve`'s drain of in-flight answers
// short). Longer than the server's own 30 s shutdown timeout, so the host always finishes first.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(35) };
return await KefuCommandLine.Build().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
