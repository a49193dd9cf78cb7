using System.Net.WebSockets;

namespace Lambda.FakeExchange.Tests;

/// <summary>One fresh fake exchange per test, and the clients the test opened, disposed afterwards.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly List<IDisposable> _disposables = [];

    protected FakeExchangeServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await FakeExchangeServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    protected Uri BinanceStreamUri(string streams) => new(Server.WebSocketBase, "stream?streams=" + streams);

    protected Uri BybitSpotUri => new(Server.WebSocketBase, "v5/public/spot");

    protected async Task<ClientWebSocket> ConnectAsync(Uri uri) => Track(await Client.ConnectAsync(uri));

    protected HttpClient Http() => Track(new HttpClient { BaseAddress = Server.HttpBase, Timeout = Wait });

    protected T Track<T>(T disposable) where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
