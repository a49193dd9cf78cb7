using System.CommandLine;
using Lambda.Core.CommandLine;

namespace Lambda.Cli.Tests;

/// <summary>Runs a command line in process and captures what it printed.</summary>
internal sealed record CommandRun(int ExitCode, string Output, string Error)
{
    public static async Task<CommandRun> InvokeAsync(RootCommand command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CommandLineRun.InvokeAsync(command, args, new InvocationConfiguration { Output = output, Error = error });
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }
}
