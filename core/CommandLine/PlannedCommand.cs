using System.CommandLine;

namespace Lambda.Core.CommandLine;

/// <summary>
/// The action of a command whose command line is settled but whose work lands with a later issue:
/// it says so on standard error and exits with 3, rather than pretending to do something.
/// </summary>
public static class PlannedCommand
{
    public const int ExitCode = 3;

    public static void SetPlanned(this Command command, string what, int issue) =>
        command.SetAction(parseResult =>
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"{command.Name}: {what} is not built yet (issue #{issue}).");
            return ExitCode;
        });
}
