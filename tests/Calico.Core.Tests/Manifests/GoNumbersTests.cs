using Calico.Manifests;

namespace Calico.Tests.Manifests;

public class GoNumbersTests
{
    // strconv.FormatFloat(v, 'g', -1, 64) and encoding/json's float64 text.
    [Theory]
    [InlineData(0.0, "0", "0")]
    [InlineData(26.0, "26", "26")]
    [InlineData(1.5, "1.5", "1.5")]
    [InlineData(-0.5, "-0.5", "-0.5")]
    [InlineData(123456.0, "123456", "123456")]
    [InlineData(1e6, "1e+06", "1000000")]
    [InlineData(123456789.0, "1.23456789e+08", "123456789")]
    [InlineData(1e21, "1e+21", "1e+21")]
    [InlineData(1.5e300, "1.5e+300", "1.5e+300")]
    [InlineData(0.0001, "0.0001", "0.0001")]
    [InlineData(0.00001, "1e-05", "0.00001")]
    [InlineData(1e-7, "1e-07", "1e-7")]
    [InlineData(1.2345678901234567e-10, "1.2345678901234568e-10", "1.2345678901234568e-10")]
    public void Floats_are_formatted_as_go_formats_them(double value, string g, string json)
    {
        Assert.Equal(g, GoNumbers.FormatG(value));
        Assert.Equal(json, GoNumbers.FormatJson(value));
    }

    // strconv.ParseInt(s, 0, 64), falling back to ParseUint.
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0x10", "-16")]
    [InlineData("0o17", "15")]
    [InlineData("017", "15")]
    [InlineData("0b101", "5")]
    [InlineData("18446744073709551615", "18446744073709551615")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("08", null)]
    [InlineData("0x", null)]
    [InlineData("+", null)]
    [InlineData("18446744073709551616", null)]
    [InlineData("-9223372036854775809", null)]
    [InlineData("+18446744073709551615", null)] // ParseUint takes no sign
    public void Integers_are_read_as_go_reads_them(string text, string? expected)
    {
        var ok = GoNumbers.TryParseInteger(text, out var value);
        Assert.Equal(expected, ok ? value.ToString() : null);
    }

    [Theory]
    [InlineData("a9", "a10")]
    [InlineData("Zone", "app")]
    [InlineData("a-b", "a9")]
    [InlineData("a", "ab")]
    [InlineData("x/1", "xa")]
    public void Keys_sort_as_go_yaml_sorts_them(string first, string second)
    {
        Assert.True(YamlKeyOrder.Less(first, second));
        Assert.False(YamlKeyOrder.Less(second, first));
    }
}
