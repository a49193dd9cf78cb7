using Lambda.Core.CommandLine;
using Lambda.SpeedLayer;

return await CommandLineRun.InvokeAsync(SpeedLayerCommand.Build(), args).ConfigureAwait(false);
