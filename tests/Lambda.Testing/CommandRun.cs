using System.CommandLine;
using Lambda.Core.CommandLine;

namespace Lambda.Testing;

/// <summary>Runs a command line in process, as its executable would, and captures what it printed.</summary>
public sealed record CommandRun(int ExitCode, string Output, string Error)
{
    public static async Task<CommandRun> InvokeAsync(RootCommand command, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CommandLineRun.InvokeAsync(command, args, new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
