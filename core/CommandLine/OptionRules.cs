using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Lambda.Core.CommandLine;

/// <summary>
/// The one way every executable checks an option's value: the option's own parser reads the token
/// and applies the rule, and a value it refuses becomes one line, <c>--name 'value' is not …</c>,
/// naming the option, the value and what is accepted.
/// </summary>
/// <remarks>
/// Rules live in parsers, never in validators: a validator that reads a typed value throws when the
/// token did not convert (System.CommandLine throws from <c>GetValueOrDefault</c>), which crashed the
/// executables with a stack trace instead of an error. <see cref="Complete"/> gives every typed option
/// that has no rule of its own a parser too, so no option of any command can convert by throwing.
/// </remarks>
public static partial class OptionRules
{
    /// <summary>Accepts the values of <typeparamref name="T"/> for which <paramref name="rule"/> holds; <paramref name="accepted"/> says which (e.g. "a number, zero or more").</summary>
    public static Option<T> Accepts<T>(this Option<T> option, Func<T, bool> rule, string accepted)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(rule);
        var fallback = option.DefaultValueFactory;
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (TryConvert<T>(text, out var value) && rule(value))
            {
                return value;
            }

            result.AddError($"{option.Name} '{text}' is not {accepted}");
            return fallback is null ? default! : fallback(result);
        };
        return option;
    }

    /// <summary>Accepts only <paramref name="values"/> (ordinal), listing them when refusing.</summary>
    public static Option<T> AcceptsOneOf<T>(this Option<T> option, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.CompletionSources.Add(values);
        return option.Accepts(value => value is string text && values.Contains(text, StringComparer.Ordinal), "one of " + string.Join(", ", values));
    }

    /// <summary>
    /// Gives every option of <paramref name="root"/> and its subcommands whose value type can fail to
    /// convert (numbers) a parser when it has none, and shows durations in help as they are typed.
    /// </summary>
    public static RootCommand Complete(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var helpOption = root.Options.OfType<HelpOption>().FirstOrDefault();
        if (helpOption?.Action is DurationHelpAction)
        {
            return root;
        }

        if (helpOption is { Action: HelpAction help })
        {
            helpOption.Action = new DurationHelpAction(help);
        }

        RefuseFolders(root);

        foreach (var option in AllOptions(root))
        {
            switch (option)
            {
                case Option<int> o when o.CustomParser is null: o.Accepts(_ => true, "a whole number"); break;
                case Option<int?> o when o.CustomParser is null: o.Accepts(_ => true, "a whole number"); break;
                case Option<long> o when o.CustomParser is null: o.Accepts(_ => true, "a whole number"); break;
                case Option<double> o when o.CustomParser is null: o.Accepts(double.IsFinite, "a number"); break;
                case Option<double?> o when o.CustomParser is null: o.Accepts(v => v is { } d && double.IsFinite(d), "a number"); break;
            }
        }

        return root;
    }

    /// <summary>
    /// Help as System.CommandLine writes it, with durations' defaults shown as they are typed
    /// (<c>[default: 1d]</c>, not TimeSpan's <c>[default: 1.00:00:00]</c>).
    /// </summary>
    private sealed partial class DurationHelpAction(HelpAction help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var configuration = parseResult.InvocationConfiguration;
            var output = configuration.Output;
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            configuration.Output = text;
            int exitCode;
            try
            {
                exitCode = help.Invoke(parseResult);
            }
            finally
            {
                configuration.Output = output;
            }

            output.Write(TimeSpanDefault().Replace(text.ToString(), match =>
                TimeSpan.TryParseExact(match.Groups[1].Value, "c", CultureInfo.InvariantCulture, out var duration)
                    ? $"[default: {DurationText.Format(duration)}]"
                    : match.Value));
            return exitCode;
        }

        [GeneratedRegex(@"\[default: ((?:\d+\.)?\d{2}:\d{2}:\d{2}(?:\.\d+)?)\]")]
        private static partial Regex TimeSpanDefault();
    }

    /// <summary>Every file argument of <paramref name="root"/> and its subcommands refuses a folder with a message.</summary>
    private static void RefuseFolders(Command root)
    {
        foreach (var argument in AllCommands(root).SelectMany(c => c.Arguments))
        {
            if (argument.ValueType == typeof(FileInfo) || argument.ValueType == typeof(FileInfo[]))
            {
                argument.Validators.Add(result =>
                {
                    foreach (var token in result.Tokens.Where(t => Directory.Exists(t.Value)))
                    {
                        result.AddError($"{argument.Name} '{token.Value}' is a folder; give a file");
                    }
                });
            }
        }
    }

    private static IEnumerable<Command> AllCommands(Command root)
    {
        var pending = new Stack<Command>([root]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            foreach (var subcommand in current.Subcommands)
            {
                pending.Push(subcommand);
            }
        }
    }

    /// <summary>Every option reachable from <paramref name="command"/>, each once.</summary>
    public static IEnumerable<Option> AllOptions(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var seen = new HashSet<Option>();
        return AllCommands(command).SelectMany(c => c.Options).Where(seen.Add);
    }

    private static bool TryConvert<T>(string text, out T value)
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object? converted = null;
        if (type == typeof(string))
        {
            converted = text;
        }
        else if (type == typeof(int) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            converted = i;
        }
        else if (type == typeof(long) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            converted = l;
        }
        else if (type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            converted = d;
        }

        value = converted is T typed ? typed : default!;
        return converted is not null;
    }
}
