namespace Lambda.BatchLayer.Master;

/// <summary>What one <see cref="MasterDataset.AddAsync"/> did with the klines it was given.</summary>
/// <param name="Added">Klines whose open time was not stored yet: written.</param>
/// <param name="Unchanged">Klines already stored with the same values (or given twice): nothing to do.</param>
/// <param name="Conflicting">Klines whose open time is stored with different values: not written (first write wins).</param>
public sealed record MasterWriteResult(long Added, long Unchanged, long Conflicting)
{
    public static MasterWriteResult None { get; } = new(0, 0, 0);

    public long Total => Added + Unchanged + Conflicting;

    public static MasterWriteResult operator +(MasterWriteResult left, MasterWriteResult right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Added + right.Added, left.Unchanged + right.Unchanged, left.Conflicting + right.Conflicting);
    }

    public static MasterWriteResult Add(MasterWriteResult left, MasterWriteResult right) => left + right;
}
