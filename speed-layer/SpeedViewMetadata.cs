namespace Lambda.SpeedLayer;

/// <summary>Key-value metadata keys of the speed views' Parquet files that other layers read.</summary>
public static class SpeedViewMetadata
{
    /// <summary>
    /// Where the rows of a file come from, which the merge keeps as their lineage:
    /// <c>stream:&lt;group&gt;:shard-&lt;n&gt;:part-&lt;seq&gt;</c>, <c>stream:&lt;group&gt;:shard-&lt;n&gt;:live@&lt;checkpoint time&gt;</c>
    /// or <c>batch:&lt;run time&gt;</c>.
    /// </summary>
    public const string Lineage = "lambda.speed.lineage";
}
