using Kefu.Cli;

return await KefuCommandLine.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
