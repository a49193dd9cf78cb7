using Lambda.Core.Spark;
using Lambda.SpeedLayer.Spark;

namespace Lambda.Spark.Tests;

public sealed class SparkRemoteTests
{
    [Theory]
    [InlineData("sc://localhost", "localhost", 15002, false)]
    [InlineData("sc://spark:15003", "spark", 15003, false)]
    [InlineData("sc://host:443/;use_ssl=true;user_id=ann", "host", 443, true)]
    public void Addresses_parse_as_Sparks_clients_read_them(string text, string host, int port, bool ssl)
    {
        var remote = SparkRemote.Parse(text);
        (remote.Host, remote.Port, remote.UseSsl).Should().Be((host, port, ssl));
        remote.Endpoint.Should().Be(new Uri($"{(ssl ? "https" : "http")}://{host}:{port}"));
    }

    [Theory]
    [InlineData("localhost:15002", "not a Spark Connect address")]
    [InlineData("sc://:15002", "names no host")]
    [InlineData("sc://host:99999", "not a number between 1 and 65535")]
    [InlineData("sc://host/path", "a path is not allowed")]
    [InlineData("sc://host/;session_id=abc", "not a UUID")]
    public void Bad_addresses_say_what_is_wrong(string text, string message)
    {
        SparkRemote.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(message);
    }

    [Fact]
    public void A_path_map_moves_paths_below_the_local_folder_and_leaves_others()
    {
        SparkPathMap.TryParse("/work/data=/opt/lambda/data", out var map, out _).Should().BeTrue();
        map.ToSpark("/work/data/views/speed/x").Should().Be("/opt/lambda/data/views/speed/x");
        map.ToSpark("/work/data").Should().Be("/opt/lambda/data");
        map.ToSpark("/work/database").Should().Be("/work/database");
        SparkPathMap.TryParse("./data=relative", out _, out var error).Should().BeFalse();
        error.Should().Contain("not an absolute path or URI");
    }
}
