using Lambda.SpeedLayer;

return await SpeedLayerCommand.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
