using Lambda.Core.CommandLine;
using Lambda.Producer.Commands;

return await CommandLineRun.InvokeAsync(ProducerCommand.Build(), args).ConfigureAwait(false);
