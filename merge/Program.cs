using Lambda.Merge;

return await MergeCommand.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
