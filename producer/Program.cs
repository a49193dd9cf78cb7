using Lambda.Producer.Commands;

return await ProducerCommand.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
