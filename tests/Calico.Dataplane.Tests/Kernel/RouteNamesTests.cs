using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>iproute2's names for protocols, scopes and tables, read as numbers.</summary>
public class RouteNamesTests
{
    [Theory]
    [InlineData("kernel", 2)]
    [InlineData("boot", 3)]
    [InlineData("static", 4)]
    [InlineData("bird", 12)]
    [InlineData("80", 80)]
    [InlineData("0x50", 80)]
    [InlineData("bgp", 186)]
    public void Protocols(string text, int number)
    {
        Assert.True(RouteProtocol.TryParse(text, out var value));
        Assert.Equal(number, value);
    }

    [Theory]
    [InlineData("256")]
    [InlineData("-1")]
    [InlineData("calico")]
    [InlineData("")]
    public void Unknown_or_out_of_range_protocols_are_refused(string text) => Assert.False(RouteProtocol.TryParse(text, out _));

    [Fact]
    public void Protocol_numbers_print_as_iproute2_names_them()
    {
        Assert.Equal("kernel", RouteProtocol.ToName(2));
        Assert.Equal("80", RouteProtocol.ToName(80));
    }

    [Theory]
    [InlineData("global", 0)]
    [InlineData("link", 253)]
    [InlineData("host", 254)]
    [InlineData("253", 253)]
    public void Scopes(string text, int number)
    {
        Assert.True(RouteScope.TryParse(text, out var value));
        Assert.Equal(number, value);
    }

    [Theory]
    [InlineData("main", 254)]
    [InlineData("local", 255)]
    [InlineData("default", 253)]
    [InlineData("100", 100)]
    public void Tables(string text, int number)
    {
        Assert.True(RouteTable.TryParse(text, out var value));
        Assert.Equal(number, value);
    }
}
