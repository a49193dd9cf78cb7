using System.Globalization;
using System.Text;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Tests.Normalization;

public sealed class ExchangeNumbersTests
{
    [Theory]
    [InlineData("0.35130000", 0.3513)]
    [InlineData("25877.00000000", 25877)]
    [InlineData("-94.99999800", -94.999998)]
    [InlineData("0.0010", 0.001)]
    [InlineData("100", 100)]
    [InlineData("1.", 1)]
    [InlineData(".5", 0.5)]
    [InlineData("+2.5", 2.5)]
    [InlineData("1e3", 1000)]
    [InlineData("1.5E-3", 0.0015)]
    [InlineData("12345678901234567890.123", 12345678901234567890.123)]
    public void Decimal_text_parses_to_the_nearest_double(string text, double expected)
    {
        ExchangeNumbers.TryParse(Encoding.UTF8.GetBytes(text), out var value).Should().BeTrue();

        value.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("0x10")]
    [InlineData(" 1")]
    [InlineData("1,5")]
    [InlineData("--1")]
    public void Text_that_is_not_a_number_does_not_parse(string text) =>
        ExchangeNumbers.TryParse(Encoding.UTF8.GetBytes(text), out _).Should().BeFalse();

    [Fact]
    public void Fast_path_agrees_with_double_parse_bit_for_bit_on_exchange_style_decimals()
    {
        // Prices and quantities the way exchanges print them: up to 12 integer and 12 fractional digits.
        var random = new Random(20211012);
        for (var i = 0; i < 200_000; i++)
        {
            var integer = random.NextInt64(0, (long)Math.Pow(10, random.Next(0, 13)));
            var fractionDigits = random.Next(0, 13);
            var fraction = fractionDigits == 0 ? "" : "." + random.NextInt64(0, (long)Math.Pow(10, fractionDigits)).ToString(CultureInfo.InvariantCulture).PadLeft(fractionDigits, '0');
            var text = (random.Next(10) == 0 ? "-" : "") + integer.ToString(CultureInfo.InvariantCulture) + fraction;

            ExchangeNumbers.TryParse(Encoding.UTF8.GetBytes(text), out var value).Should().BeTrue(text);
            BitConverter.DoubleToInt64Bits(value).Should().Be(
                BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), "'{0}' must parse exactly", text);
        }
    }
}
