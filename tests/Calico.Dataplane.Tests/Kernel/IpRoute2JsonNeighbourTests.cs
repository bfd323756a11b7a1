using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>`ip -json neigh show nud all` and `bridge -json fdb show` as captured by Fixtures/capture.sh.</summary>
public class IpRoute2JsonNeighbourTests
{
    private static readonly IReadOnlyList<Neighbour> Neighbours = IpRoute2Json.ParseNeighbours(Fixture.Read("neighbours.json"));
    private static readonly IReadOnlyList<FdbEntry> Fdb = IpRoute2Json.ParseFdbEntries(Fixture.Read("fdb.json"));

    private static Neighbour At(string address, string device = "eth0") =>
        Neighbours.Single(n => n.Address.Equals(IPAddress.Parse(address)) && n.Device == device);

    [Fact]
    public void Permanent_vtep_neighbour_has_its_mac()
    {
        var vtep = At("192.168.20.0", "vxlan.calico");
        Assert.Equal(NeighbourState.Permanent, vtep.State);
        Assert.Equal("66:aa:bb:cc:dd:ee", vtep.LinkLayerAddress);
    }

    [Theory]
    [InlineData("10.0.2.10", NeighbourState.Reachable)]
    [InlineData("10.0.2.11", NeighbourState.Failed)]
    [InlineData("10.0.2.12", NeighbourState.NoArp)]
    [InlineData("fe80::1", NeighbourState.Stale)]
    public void Nud_states_are_read(string address, NeighbourState state) => Assert.Equal(state, At(address).State);

    [Fact]
    public void A_failed_entry_has_no_link_layer_address()
    {
        Assert.Null(At("10.0.2.11").LinkLayerAddress);
    }

    [Fact]
    public void The_router_flag_printed_as_null_is_read_as_set()
    {
        Assert.True(At("fe80::1").IsRouter);
        Assert.False(At("10.0.2.10").IsRouter);
    }

    [Fact]
    public void Several_states_combine()
    {
        var n = Assert.Single(IpRoute2Json.ParseNeighbours("""[{"dst":"10.0.0.1","dev":"e","state":["REACHABLE","NOARP"]}]"""));
        Assert.Equal(NeighbourState.Reachable | NeighbourState.NoArp, n.State);
    }

    [Fact]
    public void An_unknown_state_is_an_error_naming_it()
    {
        var e = Assert.Throws<FormatException>(() => IpRoute2Json.ParseNeighbours("""[{"dst":"10.0.0.1","dev":"e","state":["WOBBLY"]}]"""));
        Assert.Contains("[0].state[0]", e.Message);
        Assert.Contains("WOBBLY", e.Message);
    }

    [Fact]
    public void Vxlan_fdb_entry_is_self_permanent_with_its_vtep()
    {
        var entry = Fdb.Single(f => f.Device == "vxlan.calico" && f.MacAddress == "66:aa:bb:cc:dd:ee");
        Assert.True(entry.IsSelf);
        Assert.True(entry.IsPermanent);
        Assert.Equal(IPAddress.Parse("10.0.2.10"), entry.Destination);
        Assert.Null(entry.Master);
    }

    [Fact]
    public void Bridge_fdb_entries_name_their_master_and_state()
    {
        var entry = Fdb.Single(f => f.MacAddress == "02:00:00:00:00:09");
        Assert.Equal("br-x", entry.Master);
        Assert.Equal("static", entry.State);
        Assert.False(entry.IsSelf);
        Assert.Contains(Fdb, f => f.Master == "br-x" && f.State == "");
    }

    [Fact]
    public void An_empty_fdb_prints_nothing_and_reads_as_no_entries()
    {
        Assert.Empty(IpRoute2Json.ParseFdbEntries(""));
        Assert.Empty(IpRoute2Json.ParseFdbEntries("[]"));
    }
}
