namespace Lambda.Core.Views;

/// <summary>
/// Runs one of Parquet.Net's asynchronous calls for the views' synchronous callers (they stream rows through
/// enumerators). On file and memory streams the call mostly completes inline; without the caller's
/// synchronization context its continuations never need the blocked thread, so waiting cannot deadlock and
/// costs no thread switch per file.
/// </summary>
internal static class ParquetNetCall
{
    public static T Wait<T>(Func<Task<T>> call)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return call().GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }
}
