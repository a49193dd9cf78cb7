using System.Text;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Tests.Normalization;

public sealed class TradeIdsTests
{
    [Theory]
    [InlineData("2290000000061666327", 2290000000061666327L)]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Numeric_id_is_the_number_itself(string id, long expected) =>
        TradeIds.FromText(Encoding.UTF8.GetBytes(id)).Should().Be(expected);

    [Theory]
    [InlineData("")]
    [InlineData("a", 0x2f63dc4c8601ec8cL)]
    public void Hash_is_64_bit_fnv1a_with_the_sign_bit_cleared(string text, long expected = 0x4bf29ce484222325L) =>
        TradeIds.Hash(Encoding.UTF8.GetBytes(text)).Should().Be(expected, "FNV-1a of '{0}' is a published test vector", text);

    [Theory]
    [InlineData("20f43950-d8dd-5b31-9112-a178eb6023af")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("12a")]
    [InlineData("9223372036854775808")]
    public void Non_numeric_or_out_of_range_id_is_hashed_to_a_non_negative_long(string id)
    {
        var bytes = Encoding.UTF8.GetBytes(id);

        TradeIds.FromText(bytes).Should().Be(TradeIds.Hash(bytes)).And.BeGreaterThanOrEqualTo(0);
    }
}
