using Lambda.Dashboard.Hosting;

return await DashboardCommand.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
