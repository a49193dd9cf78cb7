using System.Net.WebSockets;
using System.Text;

namespace Lambda.FakeExchange.Tests;

/// <summary>Bounded ClientWebSocket helpers: every wait has a timeout.</summary>
internal static class Client
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>A client without its own keep-alive traffic, so the server's pings are the only ones.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(Uri uri)
    {
        var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(uri, timeout.Token);
        return client;
    }

    public static async Task SendTextAsync(this ClientWebSocket client, string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message: its text, or null and the close status when the server closed instead.</summary>
    public static async Task<(string? Text, WebSocketCloseStatus? CloseStatus, string? CloseDescription)> ReceiveAsync(
        this ClientWebSocket client)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, result.CloseStatus, result.CloseStatusDescription);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (Encoding.UTF8.GetString(message.ToArray()), null, null);
            }
        }
    }

    public static async Task<string> ReceiveTextAsync(this ClientWebSocket client)
    {
        var (text, status, description) = await client.ReceiveAsync();
        return text ?? throw new InvalidOperationException($"Expected a message, the server closed: {status} {description}");
    }

    public static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(this ClientWebSocket client)
    {
        var (text, status, _) = await client.ReceiveAsync();
        text.Should().BeNull("the server should have closed the connection");
        return status;
    }
}
