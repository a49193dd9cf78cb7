using Lambda.BatchLayer;

return await BatchLayerCommand.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
