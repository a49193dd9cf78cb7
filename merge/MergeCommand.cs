using System.CommandLine;
using Lambda.Core.CommandLine;
using Lambda.Core.Views;
using Lambda.Merge.Run;
using Lambda.Merge.Show;

namespace Lambda.Merge;

/// <summary>
/// The serving layer's command line: <c>merge [--tolerance] [--last N] [--no-chart]</c> writes the
/// serving view and the reports; <c>merge show FILE.parquet</c> prints any Parquet file.
/// </summary>
public static class MergeCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Lambda merge (serving layer): batch views win for complete days, speed views fill the rest → views/serving/.");
        var dataDir = CommonOptions.DataDir();
        root.Options.Add(dataDir);
        root.Options.Add(CommonOptions.Metrics());
        root.Options.Add(MergeRunCommand.Tolerance());
        root.Options.Add(MergeRunCommand.Last());
        root.Options.Add(MergeRunCommand.NoChart());
        root.SetAction(MergeRunCommand.RunAsync);

        var file = new Argument<FileInfo>("FILE") { Description = "A Parquet file" };
        file.AcceptExistingOnly();
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "table" };
        format.AcceptsOneOf("table", "csv", "json");
        var limit = new Option<int>("--limit") { Description = "At most this many rows", DefaultValueFactory = _ => 50 }
            .Accepts(value => value >= 0, "a whole number, zero or more");
        var show = new Command("show", "Print a Parquet file's schema and rows.") { file, format, limit };
        show.Validators.Add(result =>
        {
            // --data-dir is an option of every merge command line, but show reads the one file it is given.
            if (result.GetResult(dataDir) is { Implicit: false })
            {
                result.AddError("merge show reads the FILE it is given, wherever it is: --data-dir does not apply (give the file's path instead)");
            }
        });
        show.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await ParquetShow.WriteAsync(parseResult.GetRequiredValue(file).FullName, parseResult.GetRequiredValue(format), parseResult.GetRequiredValue(limit),
                    parseResult.InvocationConfiguration.Output, cancellationToken);
                return 0;
            }
            catch (ParquetException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }
        });
        root.Subcommands.Add(show);
        return root;
    }
}
