using System.Net;
using System.Net.Sockets;

namespace Lambda.Testing;

/// <summary>Ports for servers the tests start (redis-server, metrics endpoints).</summary>
public static class LocalPorts
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago (the system's pick); a server that then fails to bind it should ask again.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
