using System.CommandLine;
using System.CommandLine.Invocation;
using Lambda.Core.Storage;

namespace Lambda.Core.CommandLine;

/// <summary>
/// How every executable runs its command line (its <c>Program.cs</c> and the tests alike): options are
/// checked by <see cref="OptionRules"/>, a refused command line prints its errors without the whole
/// help, and a run refused for a reason the operator can fix prints one line and exits 1, never a stack trace.
/// </summary>
public static class CommandLineRun
{
    /// <summary>Exit code of a refused command line or run, as the README promises.</summary>
    public const int Refused = 1;

    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        configuration ??= new InvocationConfiguration();
        // Refusals are caught below and printed as one line; the default handler would print their stack.
        configuration.EnableDefaultExceptionHandler = false;
        var parseResult = OptionRules.Complete(root).Parse(args);
        if (parseResult.Action is ParseErrorAction parseError)
        {
            // The errors name the option, the value and what is accepted; pages of help would bury them.
            parseError.ShowHelp = false;
        }

        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WriterLockedException or RunRefusedException)
        {
            await configuration.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return Refused;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not a refusal the commands foresaw: a defect, whose stack trace is what a bug report needs.
            await configuration.Error.WriteLineAsync($"{root.Name} failed unexpectedly (please report this): {e}").ConfigureAwait(false);
            return Refused;
        }
    }
}

/// <summary>A run that cannot start or go on for a reason the operator can fix; the message is the one line to print.</summary>
public sealed class RunRefusedException : Exception
{
    public RunRefusedException()
    {
    }

    public RunRefusedException(string message) : base(message)
    {
    }

    public RunRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
