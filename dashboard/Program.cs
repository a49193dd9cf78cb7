using Lambda.Core.CommandLine;
using Lambda.Dashboard.Hosting;

return await CommandLineRun.InvokeAsync(DashboardCommand.Build(), args).ConfigureAwait(false);
