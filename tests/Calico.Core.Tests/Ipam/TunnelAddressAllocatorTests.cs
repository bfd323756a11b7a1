using System.Net;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Ipam;

/// <summary>The reconcile table of calico-node's allocateip, one row per test.</summary>
public class TunnelAddressAllocatorTests
{
    private static async Task<(TunnelAddressResult Result, IpamTestWorld World)> FreshAsync(Action<IPPoolSpec>? pool = null, params (string, string)[] labels)
    {
        var world = new IpamTestWorld();
        world.AddPool("ipip", "10.50.0.0/24", 26, s => { s.IPIPMode = IPIPMode.Always; pool?.Invoke(s); });
        var node = world.AddNode("node1", labels);
        node.Spec.BGP = new NodeBGPSpec { IPv4Address = "192.0.2.1/24" };
        var result = await Reconcile(world, node);
        return (result, world);
    }

    /// <summary>An IPIP Always pool and node1, whose tunnel address field holds <paramref name="tunnelAddress"/>.</summary>
    private static (IpamTestWorld World, Node Node) IpipWorld(string cidr, int blockSize, string? tunnelAddress = null)
    {
        var world = new IpamTestWorld();
        world.AddPool("ipip", cidr, blockSize, s => s.IPIPMode = IPIPMode.Always);
        var node = world.AddNode("node1");
        if (tunnelAddress is not null) node.Spec.BGP = new NodeBGPSpec { IPv4IPIPTunnelAddr = tunnelAddress };
        return (world, node);
    }

    private static Task<TunnelAddressResult> Reconcile(IpamTestWorld world, Node node) =>
        new TunnelAddressAllocator(world.Store, world.Clock).ReconcileAsync(node, world.Pools);

    private static TunnelAddressChange Change(TunnelAddressResult result, TunnelAddressType type) => result.Changes.Single(c => c.Type == type);

    [Fact]
    public async Task A_node_without_an_address_gets_one_with_Calicos_handle_and_attributes()
    {
        var (result, world) = await FreshAsync();
        using var _ = world;
        Assert.True(result.NodeChanged);
        var ipip = Change(result, TunnelAddressType.IPIP);
        Assert.Equal(TunnelAddressAction.Assigned, ipip.Action);
        Assert.Equal(result.Node.Spec.BGP!.IPv4IPIPTunnelAddr, ipip.NewAddress);
        Assert.Equal("192.0.2.1/24", result.Node.Spec.BGP.IPv4Address);
        var allocation = Assert.Single(await world.Client().GetAllocationsAsync());
        Assert.Equal(ipip.NewAddress, allocation.Address.ToString());
        Assert.Equal("ipip-tunnel-addr-node1", allocation.Handle);
        Assert.Equal(new Dictionary<string, string> { ["node"] = "node1", ["type"] = "ipipTunnelAddress" }, allocation.Attributes);
        Assert.Contains("\"secondary\":{\"node\":\"node1\",\"type\":\"ipipTunnelAddress\"}", await world.ValueAsync(IpamKeys.Block(allocation.Block)));
        // No VXLAN pool: nothing to do for VXLAN, and the input node is untouched.
        Assert.Equal(TunnelAddressAction.None, Change(result, TunnelAddressType.VXLAN).Action);
        Assert.Null(world.Nodes[0].Spec.BGP!.IPv4IPIPTunnelAddr);
    }

    [Fact]
    public async Task A_valid_address_is_kept_and_the_node_is_unchanged()
    {
        var (first, world) = await FreshAsync();
        using var _ = world;
        var second = await Reconcile(world, first.Node);
        Assert.False(second.NodeChanged);
        var ipip = Change(second, TunnelAddressType.IPIP);
        Assert.Equal(TunnelAddressAction.Kept, ipip.Action);
        Assert.Equal(first.Node.Spec.BGP!.IPv4IPIPTunnelAddr, ipip.NewAddress);
    }

    [Theory]
    [InlineData("never")]
    [InlineData("disabled")]
    [InlineData("selector")]
    [InlineData("no-tunnel-use")]
    public async Task With_no_eligible_pool_left_the_address_is_cleared_and_released(string change)
    {
        var (first, world) = await FreshAsync(null, ("tunnel", "yes"));
        using var _ = world;
        var spec = world.Pools[0].Spec;
        switch (change)
        {
            case "never": spec.IPIPMode = IPIPMode.Never; break;
            case "disabled": spec.Disabled = true; break;
            case "selector": spec.NodeSelector = "tunnel == 'no'"; break;
            default: spec.AllowedUses = [IPPoolAllowedUse.Workload]; break;
        }
        var second = await Reconcile(world, first.Node);
        var ipip = Change(second, TunnelAddressType.IPIP);
        Assert.Equal(TunnelAddressAction.Released, ipip.Action);
        Assert.Equal(first.Node.Spec.BGP!.IPv4IPIPTunnelAddr, ipip.OldAddress);
        Assert.True(second.NodeChanged);
        Assert.Null(second.Node.Spec.BGP!.IPv4IPIPTunnelAddr);
        Assert.Empty(await world.Client().GetAllocationsAsync());
        Assert.Null(await world.ValueAsync(IpamKeys.Handle("ipip-tunnel-addr-node1")));
    }

    [Fact]
    public async Task Clearing_the_only_bgp_field_leaves_no_bgp_section()
    {
        using var world = new IpamTestWorld();
        world.AddPool("ipip", "10.51.0.0/24", 26, s => s.IPIPMode = IPIPMode.CrossSubnet);
        var node = world.AddNode("node1");
        var first = await Reconcile(world, node);
        Assert.NotNull(first.Node.Spec.BGP);
        world.Pools[0].Spec.IPIPMode = IPIPMode.Never;
        var second = await Reconcile(world, first.Node);
        Assert.Null(second.Node.Spec.BGP);
    }

    [Fact]
    public async Task An_address_no_longer_in_an_eligible_pool_is_replaced_from_one_that_is()
    {
        var (first, world) = await FreshAsync();
        using var _ = world;
        var old = first.Node.Spec.BGP!.IPv4IPIPTunnelAddr!;
        world.Pools[0].Spec.IPIPMode = IPIPMode.Never;
        world.AddPool("ipip2", "10.52.0.0/24", 26, s => s.IPIPMode = IPIPMode.Always);
        var second = await Reconcile(world, first.Node);
        var ipip = Change(second, TunnelAddressType.IPIP);
        Assert.Equal(TunnelAddressAction.Reassigned, ipip.Action);
        Assert.Equal(old, ipip.OldAddress);
        Assert.True(IPPrefix.Parse("10.52.0.0/24").Contains(IPAddress.Parse(ipip.NewAddress!)));
        Assert.Equal(ipip.NewAddress, Assert.Single(await world.Client().GetAllocationsAsync()).Address.ToString());
    }

    [Fact]
    public async Task An_address_IPAM_gives_another_node_is_left_to_it_and_a_new_one_assigned()
    {
        var (first, world) = await FreshAsync();
        using var _ = world;
        var node2 = world.AddNode("node2");
        var node2Result = await Reconcile(world, node2);
        var stolen = first.Node.Clone();
        stolen.Spec.BGP!.IPv4IPIPTunnelAddr = node2Result.Node.Spec.BGP!.IPv4IPIPTunnelAddr;

        var result = await Reconcile(world, stolen);
        var ipip = Change(result, TunnelAddressType.IPIP);
        Assert.Equal(TunnelAddressAction.Reassigned, ipip.Action);
        Assert.Contains("node=node2", ipip.Reason);
        var allocations = await world.Client().GetAllocationsAsync();
        Assert.Equal(node2Result.Node.Spec.BGP.IPv4IPIPTunnelAddr, allocations.Single(a => a.Node == "node2").Address.ToString());
        // Node1's handle now holds its old address and the new one: calico-node does not release on this path.
        Assert.Equal(2, allocations.Count(a => a.Handle == "ipip-tunnel-addr-node1"));
    }

    [Fact]
    public async Task An_address_not_assigned_in_IPAM_is_replaced()
    {
        var (world, node) = IpipWorld("10.53.0.0/24", 26, "10.53.0.77");
        using var _ = world;
        var result = await Reconcile(world, node);
        var ipip = Change(result, TunnelAddressType.IPIP);
        Assert.Equal(TunnelAddressAction.Reassigned, ipip.Action);
        Assert.Equal("10.53.0.77 is not assigned in IPAM", ipip.Reason);
        Assert.NotEqual("10.53.0.77", ipip.NewAddress);
    }

    [Fact]
    public async Task A_handleless_tunnel_address_from_old_Calico_is_adopted_and_kept()
    {
        var (world, node) = IpipWorld("10.54.0.0/30", 30, "10.54.0.0");
        using var _ = world;
        var cidr = IPPrefix.Parse("10.54.0.0/30");
        await world.PutAsync(IpamKeys.Block(cidr), "{\"cidr\":\"10.54.0.0/30\",\"affinity\":\"host:node1\",\"allocations\":[0,null,null,null],"
            + "\"unallocated\":[1,2,3],\"attributes\":[{\"handle_id\":null,\"secondary\":null}],\"sequenceNumber\":1,\"sequenceNumberForAllocation\":{\"0\":0},\"deleted\":false}");
        await world.PutAsync(IpamKeys.Affinity("node1", cidr), "{\"state\":\"confirmed\",\"deleted\":false}");

        var result = await Reconcile(world, node);
        Assert.Equal(TunnelAddressAction.Kept, Change(result, TunnelAddressType.IPIP).Action);
        Assert.False(result.NodeChanged);
        var allocation = Assert.Single(await world.Client().GetAllocationsAsync());
        Assert.Equal("10.54.0.0", allocation.Address.ToString());
        Assert.Equal("ipip-tunnel-addr-node1", allocation.Handle);
        Assert.Equal("ipipTunnelAddress", allocation.Type);
    }

    [Fact]
    public async Task A_workload_address_in_the_tunnel_field_is_left_to_its_workload()
    {
        var (world, node) = IpipWorld("10.55.0.0/24", 26);
        using var _ = world;
        var client = world.Client();
        var pod = (await client.AutoAssignAsync(new AutoAssignArgs { Host = "node1", HandleId = "k8s-pod-network.x" })).Addresses.Single();
        node.Spec.BGP = new NodeBGPSpec { IPv4IPIPTunnelAddr = pod.ToString() };
        var result = await Reconcile(world, node);
        var ipip = Change(result, TunnelAddressType.IPIP);
        Assert.Equal(TunnelAddressAction.Reassigned, ipip.Action);
        Assert.Equal($"{pod} belongs to handle k8s-pod-network.x", ipip.Reason);
        Assert.Contains(await client.GetAllocationsAsync(), a => a.Address.Equals(pod) && a.Handle == "k8s-pod-network.x");
    }

    [Fact]
    public async Task VXLAN_gets_its_own_address_and_felix_derived_MAC_which_is_not_written()
    {
        using var world = new IpamTestWorld();
        world.AddPool("vxlan", "10.56.0.0/24", 26, s => s.VXLANMode = VXLANMode.Always);
        world.AddPool("v6", "fd00:56::/64", 122, s => s.VXLANMode = VXLANMode.CrossSubnet);
        var node = world.AddNode("node1");
        var result = await Reconcile(world, node);
        Assert.Equal(TunnelAddressAction.None, Change(result, TunnelAddressType.IPIP).Action);
        Assert.Equal(TunnelAddressAction.Assigned, Change(result, TunnelAddressType.VXLAN).Action);
        Assert.Equal(TunnelAddressAction.Assigned, Change(result, TunnelAddressType.VXLANV6).Action);
        Assert.StartsWith("10.56.0.", result.Node.Spec.IPv4VXLANTunnelAddr);
        Assert.StartsWith("fd00:56::", result.Node.Spec.IPv6VXLANTunnelAddr);
        Assert.Null(result.Node.Spec.BGP);
        Assert.Null(result.Node.Spec.VXLANTunnelMACAddr);
        Assert.Equal(VtepMac.Generate("node1", 4), result.VXLANTunnelMACAddr);
        var types = (await world.Client().GetAllocationsAsync()).ToDictionary(a => a.Handle!, a => a.Type);
        Assert.Equal("vxlanTunnelAddress", types["vxlan-tunnel-addr-node1"]);
        Assert.Equal("vxlanV6TunnelAddress", types["vxlan-v6-tunnel-addr-node1"]);
    }

    [Fact]
    public async Task A_tunnel_address_comes_only_from_eligible_pools()
    {
        using var world = new IpamTestWorld();
        world.AddPool("a-workloads", "10.57.0.0/24", 26, s => s.IPIPMode = IPIPMode.Never);
        world.AddPool("b-tunnels", "10.58.0.0/24", 26, s => { s.IPIPMode = IPIPMode.Always; s.AllowedUses = [IPPoolAllowedUse.Tunnel]; });
        var node = world.AddNode("node1");
        Assert.Equal([IPPrefix.Parse("10.58.0.0/24")], TunnelAddressAllocator.EligiblePools(node, world.Pools, TunnelAddressType.IPIP));
        var result = await Reconcile(world, node);
        Assert.StartsWith("10.58.0.", result.Node.Spec.BGP!.IPv4IPIPTunnelAddr);
    }

    [Fact]
    public async Task A_stored_address_that_is_not_an_IP_is_an_error_naming_the_field()
    {
        var (world, node) = IpipWorld("10.59.0.0/24", 26, "10.59.0.300");
        using var _ = world;
        var error = await Assert.ThrowsAsync<IpamException>(() => Reconcile(world, node));
        Assert.Equal("Node node1 spec.bgp.ipv4IPIPTunnelAddr '10.59.0.300' is not an IP address, so it cannot be checked against IPAM", error.Message);
    }
}
