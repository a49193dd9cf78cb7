using Lambda.Core.CommandLine;
using Lambda.BatchLayer;

return await CommandLineRun.InvokeAsync(BatchLayerCommand.Build(), args).ConfigureAwait(false);
