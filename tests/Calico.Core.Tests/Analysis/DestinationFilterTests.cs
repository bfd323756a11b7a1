using Calico.Analysis;
using Calico.Resources;
using Calico.Tests.Routing;

namespace Calico.Tests.Analysis;

/// <summary>Get-CalicoRoute -Destination: an address picks the route the kernel would use, a CIDR every overlapping route.</summary>
public sealed class DestinationFilterTests
{
    private static readonly Calico.Ipam.AllocationBlock[] Borrowing =
    [
        SeedLab.Block("192.168.1.0/26", "node1", ("192.168.1.0", "node1", Calico.Ipam.AllocationAttribute.TypeIPIP), ("192.168.1.5", "node3", null)),
        SeedLab.Block("192.168.2.0/26", "node2"),
        SeedLab.Block("192.168.3.0/26", "node3"),
    ];

    private static string[] Pick(string text, string node = "node2")
    {
        Assert.True(DestinationFilter.TryParse(text, out var filter));
        var plan = SeedLab.Plan(node, SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], Borrowing);
        return filter!.Select(plan.Routes).Select(r => r.Destination.ToString()).ToArray();
    }

    [Fact]
    public void An_address_picks_the_most_specific_route_holding_it()
    {
        Assert.Equal(["192.168.1.5/32"], Pick("192.168.1.5"));
        Assert.Equal(["192.168.1.0/26"], Pick("192.168.1.6"));
        Assert.Empty(Pick("10.1.1.1"));
    }

    [Fact]
    public void A_CIDR_picks_every_route_that_overlaps_it()
    {
        Assert.Equal(["192.168.1.0/26", "192.168.1.5/32"], Pick("192.168.1.0/24"));
        Assert.Equal(["192.168.1.0/26", "192.168.1.5/32", "192.168.2.0/26", "192.168.3.0/26"], Pick("192.168.0.0/16"));
        Assert.Equal(["192.168.3.0/26"], Pick("192.168.3.7/30"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("192.168.1")]
    [InlineData("192.168.1.0/33")]
    [InlineData("node1")]
    public void Text_that_is_no_address_or_CIDR_is_refused(string text)
    {
        Assert.False(DestinationFilter.TryParse(text, out _));
    }
}
