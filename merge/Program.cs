using Lambda.Core.CommandLine;
using Lambda.Merge;

return await CommandLineRun.InvokeAsync(MergeCommand.Build(), args).ConfigureAwait(false);
