using System.Net;
using Calico.Net;

namespace Calico.Tests.Net;

public class IPPrefixTests
{
    [Theory]
    [InlineData("192.168.0.0/16", "192.168.0.0/16", true)]
    [InlineData("10.0.2.15/24", "10.0.2.0/24", false)]
    [InlineData("FD00:0::/48", "fd00::/48", true)]
    [InlineData("2001:db8::1/64", "2001:db8::/64", false)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", true)]
    [InlineData("10.0.0.0/024", "10.0.0.0/24", true)]   // Go's ParseCIDR reads the length with dtoi: leading zeros allowed
    public void Parse_gives_the_network_and_masked_state(string text, string network, bool masked)
    {
        var p = IPPrefix.Parse(text);
        Assert.Equal(network, p.Network.ToString());
        Assert.Equal(masked, p.IsMasked);
    }

    [Theory]
    [InlineData("192.168.0.0")]         // a bare address is not a CIDR
    [InlineData("192.168.0.0/33")]
    [InlineData("192.168.0.0/")]
    [InlineData("192.168.00.0/16")]     // and in an octet
    [InlineData("1/8")]                 // .NET would read this as 0.0.0.1
    [InlineData("0x7f.0.0.1/8")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("::/129")]
    [InlineData("256.0.0.0/8")]
    [InlineData("")]
    public void Parse_rejects_what_Go_rejects(string text) => Assert.False(IPPrefix.TryParse(text, out _));

    [Fact]
    public void Contains_and_overlaps_follow_the_network()
    {
        var lanA = IPPrefix.Parse("10.0.2.0/24");
        Assert.True(lanA.Contains(IPAddress.Parse("10.0.2.10")));
        Assert.False(lanA.Contains(IPAddress.Parse("10.0.3.20")));
        Assert.False(lanA.Contains(IPAddress.Parse("::1")));
        Assert.True(IPPrefix.Parse("10.0.0.0/8").Overlaps(lanA));
        Assert.True(lanA.Overlaps(IPPrefix.Parse("10.0.0.0/8")));
        Assert.False(lanA.Overlaps(IPPrefix.Parse("10.0.3.0/24")));
    }

    [Fact]
    public void Bare_address_gets_a_host_prefix_when_allowed()
    {
        Assert.True(IPPrefix.TryParseAddressOrPrefix("10.0.2.10", out var p, out var had));
        Assert.False(had);
        Assert.Equal("10.0.2.10/32", p.ToString());
        Assert.True(IPPrefix.TryParseAddressOrPrefix("fd00::1", out p, out _));
        Assert.Equal(128, p.PrefixLength);
    }
}
