namespace Lambda.FakeExchange;

/// <summary>Every connection one fake endpoint has accepted, in order, and waiters for the next ones.</summary>
internal sealed class ConnectionRegistry
{
    private readonly Lock _gate = new();
    private readonly List<FakeConnection> _all = [];
    private readonly Dictionary<int, TaskCompletionSource<FakeConnection>> _waiters = [];

    public int NextOrdinal
    {
        get
        {
            lock (_gate)
            {
                return _all.Count + 1;
            }
        }
    }

    public IReadOnlyList<FakeConnection> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    public IReadOnlyList<FakeConnection> Open
    {
        get
        {
            lock (_gate)
            {
                return [.. _all.Where(c => c.IsOpen)];
            }
        }
    }

    /// <summary>Registers a just-accepted connection; the factory receives its ordinal.</summary>
    public FakeConnection Add(Func<int, FakeConnection> create)
    {
        FakeConnection connection;
        TaskCompletionSource<FakeConnection>? waiter;
        lock (_gate)
        {
            connection = create(_all.Count + 1);
            _all.Add(connection);
            _waiters.Remove(connection.Ordinal, out waiter);
        }

        waiter?.TrySetResult(connection);
        return connection;
    }

    public FakeConnection? Find(int ordinal)
    {
        lock (_gate)
        {
            return ordinal >= 1 && ordinal <= _all.Count ? _all[ordinal - 1] : null;
        }
    }

    public async Task<FakeConnection> WaitAsync(int ordinal, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ordinal, 1);
        Task<FakeConnection> task;
        lock (_gate)
        {
            if (ordinal <= _all.Count)
            {
                return _all[ordinal - 1];
            }

            if (!_waiters.TryGetValue(ordinal, out var waiter))
            {
                waiter = new TaskCompletionSource<FakeConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add(ordinal, waiter);
            }

            task = waiter.Task;
        }

        try
        {
            return await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Connection #{ordinal} was not opened within {timeout.TotalMilliseconds:0} ms ({NextOrdinal - 1} opened so far).");
        }
    }

    /// <summary>Ends every open connection abruptly (server shutdown).</summary>
    public void AbortAll(string closedBy)
    {
        foreach (var connection in Open)
        {
            connection.AbortCore(closedBy);
        }
    }
}
