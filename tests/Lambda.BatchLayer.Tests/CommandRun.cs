using Lambda.Core.CommandLine;
using System.CommandLine;

namespace Lambda.BatchLayer.Tests;

/// <summary>Runs <c>batch-layer</c> in process and captures what it printed.</summary>
internal sealed record CommandRun(int ExitCode, string Output, string Error)
{
    public static async Task<CommandRun> BatchLayerAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CommandLineRun.InvokeAsync(BatchLayerCommand.Build(), args, new InvocationConfiguration { Output = output, Error = error });
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
