using Calico.Analysis;
using Calico.Ipam;
using Calico.Resources;
using Calico.Tests.Routing;

namespace Calico.Tests.Analysis;

/// <summary>Test-CalicoNetwork's checks, each on a cluster that passes it and on one that does not.</summary>
public sealed class NetworkCheckerTests
{
    private static IReadOnlyList<NetworkFinding> Check(IEnumerable<Node> nodes, IEnumerable<IPPool> pools, IEnumerable<AllocationBlock>? blocks = null, params NetworkCheck[] checks) =>
        NetworkChecker.Run(new ClusterSnapshot(nodes, pools, blocks ?? SeedLab.Blocks()), SeedLab.Settings, checks.Length == 0 ? null : checks);

    private static IReadOnlyList<NetworkFinding> Check(NetworkCheck check, IEnumerable<Node> nodes, params IPPool[] pools) =>
        Check(nodes, pools, null, check);

    private static Node[] SeedWith(Node replacement) =>
        SeedLab.Nodes().Select(n => n.Name == replacement.Name ? replacement : n).ToArray();

    private static Node Node3WithoutVxlanTunnelAddress()
    {
        var node3 = SeedLab.Node("node3", "10.0.3.20/24", tunnel: "192.168.3.0");
        node3.Spec.IPv4VXLANTunnelAddr = null;
        return node3;
    }

    private static Node Labelled(Node node, string key, string value)
    {
        node.Metadata.Labels = new Dictionary<string, string> { [key] = value };
        return node;
    }

    [Theory]
    [InlineData(IPIPMode.Always)]
    [InlineData(IPIPMode.CrossSubnet)]
    public void The_seed_lab_passes_every_check(IPIPMode mode)
    {
        Assert.Empty(Check(SeedLab.Nodes(), [SeedLab.IPIPPool(mode)]));
    }

    // ---- NodeAddress ----

    [Fact]
    public void A_node_without_an_IPv4_address_is_an_error()
    {
        var node2 = SeedLab.Node("node2", null, tunnel: "192.168.2.0");
        node2.Spec.BGP = new NodeBGPSpec { IPv4IPIPTunnelAddr = "192.168.2.0" };
        var finding = Assert.Single(Check(NetworkCheck.NodeAddress, SeedWith(node2), SeedLab.IPIPPool(IPIPMode.Always)));
        Assert.Equal((Severity.Error, "node2"), (finding.Severity, finding.Subject));
        Assert.StartsWith("node2 has no IPv4 address", finding.Message);
        Assert.Contains("Register-CalicoNode", finding.Fix);
    }

    [Fact]
    public void A_bare_address_is_an_error_under_IPIP_and_a_warning_without_it()
    {
        var nodes = SeedWith(SeedLab.Node("node2", "10.0.2.10", tunnel: "192.168.2.0"));
        var underIpip = Assert.Single(Check(NetworkCheck.NodeAddress, nodes, SeedLab.IPIPPool(IPIPMode.Always)));
        Assert.Equal(Severity.Error, underIpip.Severity);
        Assert.Contains("'10.0.2.10' has no prefix length", underIpip.Message);
        Assert.Contains("no node has an address to send IP-in-IP to it", underIpip.Message);
        Assert.Equal("Set-CalicoNode -Name node2 -IPv4Address 10.0.2.10/<prefix length of its subnet>, or run Register-CalicoNode on node2.", underIpip.Fix);
        Assert.Equal(Severity.Warning, Assert.Single(Check(NetworkCheck.NodeAddress, nodes, SeedLab.IPIPPool(IPIPMode.Never))).Severity);
    }

    // ---- NodeSubnet and AsymmetricPair ----

    [Fact]
    public void A_32_node_under_CrossSubnet_is_an_error_and_its_subnet_neighbour_an_asymmetric_pair()
    {
        var nodes = SeedWith(SeedLab.Node("node2", "10.0.2.10/32", tunnel: "192.168.2.0"));
        var findings = Check(nodes, [SeedLab.IPIPPool(IPIPMode.CrossSubnet)], null, NetworkCheck.NodeSubnet, NetworkCheck.AsymmetricPair);
        Assert.Equal(2, findings.Count);
        var subnet = findings[0];
        Assert.Equal((Severity.Error, NetworkCheck.NodeSubnet, "node2"), (subnet.Severity, subnet.Check, subnet.Subject));
        Assert.StartsWith("node2's spec.bgp.ipv4Address is stored as 10.0.2.10/32, with no subnet, and pool default-ipv4-ippool is CrossSubnet", subnet.Message);
        Assert.Equal("Set-CalicoNode -Name node2 -IPv4Address 10.0.2.10/<prefix length of its subnet>, or run Register-CalicoNode on node2, which detects it.", subnet.Fix);
        var pair = findings[1];
        Assert.Equal((Severity.Warning, NetworkCheck.AsymmetricPair, "node1 <-> node2"), (pair.Severity, pair.Check, pair.Subject));
        Assert.StartsWith("node1 (10.0.2.15/24) counts node2 (10.0.2.10/32) as same-subnet and sends to it unencapsulated, but node2's prefix does not hold node1's address", pair.Message);
    }

    [Fact]
    public void A_32_node_is_no_finding_when_no_pool_is_CrossSubnet()
    {
        var nodes = SeedWith(SeedLab.Node("node2", "10.0.2.10/32", tunnel: "192.168.2.0"));
        Assert.Empty(Check(nodes, [SeedLab.IPIPPool(IPIPMode.Always)], null, NetworkCheck.NodeSubnet, NetworkCheck.AsymmetricPair));
    }

    [Fact]
    public void Nodes_whose_prefixes_disagree_are_an_asymmetric_pair_even_with_subnets()
    {
        var nodes = SeedWith(SeedLab.Node("node3", "10.0.3.20/16", tunnel: "192.168.3.0"));
        var pairs = Check(NetworkCheck.AsymmetricPair, nodes, SeedLab.VXLANPool(VXLANMode.CrossSubnet));
        Assert.Equal(["node1 <-> node3", "node2 <-> node3"], pairs.Select(f => f.Subject));
        Assert.StartsWith("node3 (10.0.3.20/16) counts node1 (10.0.2.15/24) as same-subnet", pairs[0].Message);
        Assert.Empty(Check(NetworkCheck.AsymmetricPair, nodes, SeedLab.IPIPPool(IPIPMode.Always)));
    }

    // ---- TunnelAddress ----

    [Fact]
    public void A_node_selected_by_an_IPIP_pool_without_a_tunnel_address_needs_Register_CalicoNode()
    {
        var nodes = SeedWith(SeedLab.Node("node3", "10.0.3.20/24"));
        var finding = Assert.Single(Check(NetworkCheck.TunnelAddress, nodes, SeedLab.IPIPPool(IPIPMode.Always)));
        Assert.Equal((Severity.Error, "node3"), (finding.Severity, finding.Subject));
        Assert.Equal("pool default-ipv4-ippool (IPIP Always) selects node3, but it has no spec.bgp.ipv4IPIPTunnelAddr: felix does not configure tunl0 without it (ipip_mgr.go:210-213), so node3 cannot send IP-in-IP traffic.", finding.Message);
        Assert.Equal("Run Register-CalicoNode on node3: it assigns the tunnel address from default-ipv4-ippool, as calico-node does.", finding.Fix);
    }

    [Fact]
    public void A_node_no_IPIP_pool_selects_still_needs_a_tunnel_address_when_IPIP_is_on()
    {
        var nodes = SeedLab.Nodes().Select(n => Labelled(n, "lan", n.Name == "node3" ? "b" : "a")).ToArray();
        nodes[2] = Labelled(SeedLab.Node("node3", "10.0.3.20/24"), "lan", "b");
        var ipip = SeedLab.Pool("lan-a", "192.168.0.0/17", ipip: IPIPMode.Always, nodeSelector: "lan == 'a'");
        var plain = SeedLab.Pool("lan-b", "192.168.128.0/17", nodeSelector: "lan == 'b'");
        var finding = Assert.Single(Check(NetworkCheck.TunnelAddress, nodes, ipip, plain));
        Assert.StartsWith("IPIP is on for every node (by pool lan-a), but no enabled IPIP pool that allows tunnel addresses selects node3", finding.Message);
        Assert.StartsWith("Let an IPIP pool select node3", finding.Fix);
    }

    [Fact]
    public void A_node_without_a_VXLAN_tunnel_address_has_no_VTEP()
    {
        var finding = Assert.Single(Check(NetworkCheck.TunnelAddress, SeedWith(Node3WithoutVxlanTunnelAddress()), SeedLab.VXLANPool(VXLANMode.Always)));
        Assert.Contains("has no spec.ipv4VXLANTunnelAddr: node3 has no VTEP", finding.Message);
    }

    // ---- PoolSelector ----

    [Fact]
    public void A_pool_selecting_no_node_is_a_warning_and_an_unparsable_selector_an_error()
    {
        var none = SeedLab.Pool("none", "10.20.0.0/16", nodeSelector: "zone == 'nowhere'");
        var bad = SeedLab.Pool("bad", "10.30.0.0/16", nodeSelector: "zone ==");
        var off = SeedLab.Pool("off", "10.40.0.0/16", nodeSelector: "zone == 'nowhere'", disabled: true);
        var findings = Check(NetworkCheck.PoolSelector, SeedLab.Nodes(), SeedLab.IPIPPool(IPIPMode.Always), none, bad, off);
        Assert.Equal([("bad", Severity.Error), ("none", Severity.Warning)], findings.Select(f => (f.Subject, f.Severity)));
        Assert.Equal("pool none's nodeSelector 'zone == 'nowhere'' selects none of the 3 nodes, so no workload or tunnel address comes from it.", findings[1].Message);
    }

    // ---- SubnetOverlap ----

    [Fact]
    public void A_pool_over_the_hosts_subnet_is_an_error_naming_the_nodes_on_it()
    {
        var finding = Assert.Single(Check(NetworkCheck.SubnetOverlap, SeedLab.Nodes(), SeedLab.IPIPPool(IPIPMode.Always), SeedLab.Pool("hosts", "10.0.2.0/25")));
        Assert.Equal("10.0.2.0/24 / hosts", finding.Subject);
        Assert.StartsWith("the host subnet 10.0.2.0/24 (of node1, node2) overlaps pool hosts (10.0.2.0/25)", finding.Message);
    }

    // ---- PoolOverlap ----

    [Fact]
    public void Nested_pools_and_pools_sharing_a_CIDR_are_errors()
    {
        var inner = SeedLab.Pool("inner", "192.168.4.0/24");
        var twin = SeedLab.Pool("twin", "192.168.0.0/16", ipip: IPIPMode.CrossSubnet);
        var findings = Check(NetworkCheck.PoolOverlap, SeedLab.Nodes(), SeedLab.IPIPPool(IPIPMode.Always), inner, twin);
        Assert.Equal(["default-ipv4-ippool / inner", "default-ipv4-ippool / twin", "twin / inner"], findings.Select(f => f.Subject).Order());
        Assert.Contains(findings, f => f.Message.StartsWith("pools default-ipv4-ippool and twin have the same CIDR 192.168.0.0/16: felix keys pools by CIDR, so it routes by default-ipv4-ippool (IPIP Always) and twin's settings have no effect"));
        Assert.Contains(findings, f => f.Message.StartsWith("pool inner (192.168.4.0/24, Never) lies inside pool default-ipv4-ippool (192.168.0.0/16, IPIP Always)"));
        Assert.Empty(Check(NetworkCheck.PoolOverlap, SeedLab.Nodes(), SeedLab.IPIPPool(IPIPMode.Always), SeedLab.Pool("apart", "10.9.0.0/16")));
    }

    // ---- Encapsulation ----

    [Fact]
    public void A_pool_with_both_encapsulations_is_an_error()
    {
        var both = SeedLab.Pool("both", "192.168.0.0/16", ipip: IPIPMode.Always, vxlan: VXLANMode.Always);
        var finding = Assert.Single(Check(NetworkCheck.Encapsulation, SeedLab.Nodes(), both));
        Assert.Equal((Severity.Error, "both"), (finding.Severity, finding.Subject));
    }

    [Fact]
    public void IPIP_and_VXLAN_pools_together_are_information_with_the_nodes_both_select()
    {
        var vxlan = SeedLab.Pool("vx", "10.9.0.0/16", vxlan: VXLANMode.CrossSubnet);
        var finding = Assert.Single(Check(NetworkCheck.Encapsulation, SeedLab.Nodes(), SeedLab.IPIPPool(IPIPMode.Always), vxlan));
        Assert.Equal((Severity.Information, "default-ipv4-ippool / vx"), (finding.Severity, finding.Subject));
        Assert.Contains("the fabric must pass both IP protocol 4 and UDP port 4789. 3 of the 3 nodes are selected by both", finding.Message);
        Assert.Empty(Check(NetworkCheck.Encapsulation, SeedLab.Nodes(), SeedLab.IPIPPool(IPIPMode.Always), SeedLab.Pool("plain", "10.9.0.0/16")));
    }

    // ---- IPv6IPIP ----

    [Fact]
    public void An_IPv6_pool_with_IPIP_is_an_error_and_with_VXLAN_is_fine()
    {
        var finding = Assert.Single(Check(NetworkCheck.IPv6IPIP, SeedLab.Nodes(), SeedLab.Pool("v6", "fd00:10::/48", ipip: IPIPMode.CrossSubnet)));
        Assert.Equal((Severity.Error, "v6"), (finding.Severity, finding.Subject));
        Assert.Equal("Set-CalicoIPPool -Name v6 -IPIPMode Never -VXLANMode CrossSubnet (VXLAN carries IPv6), or -IPIPMode Never alone on a fabric that routes the pool.", finding.Fix);
        Assert.Empty(Check(NetworkCheck.IPv6IPIP, SeedLab.Nodes(), SeedLab.Pool("v6", "fd00:10::/48", vxlan: VXLANMode.Always)));
    }

    // ---- DisabledPool ----

    [Fact]
    public void A_disabled_pool_that_still_holds_addresses_still_routes()
    {
        var disabled = SeedLab.Pool("default-ipv4-ippool", SeedLab.PoolCidr, ipip: IPIPMode.Always, disabled: true, nat: true);
        var finding = Assert.Single(Check(NetworkCheck.DisabledPool, SeedLab.Nodes(), disabled));
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.StartsWith("pool default-ipv4-ippool is disabled, but 3 of its blocks still hold 4 addresses in use: felix keeps routing to them by the pool's mode (IPIP Always) and masquerading their traffic", finding.Message);
        Assert.Empty(Check(NetworkCheck.DisabledPool, SeedLab.Nodes(), SeedLab.IPIPPool(IPIPMode.Always)));
    }

    [Fact]
    public void An_empty_disabled_pool_that_alone_turns_IPIP_on_is_information()
    {
        var empty = SeedLab.Pool("old", "10.9.0.0/16", ipip: IPIPMode.Always, disabled: true);
        var finding = Assert.Single(Check(SeedLab.Nodes(), [SeedLab.Pool("new", SeedLab.PoolCidr), empty], null, NetworkCheck.DisabledPool));
        Assert.Equal((Severity.Information, "old"), (finding.Severity, finding.Subject));
        Assert.Contains("keeps IP-in-IP on for every node", finding.Message);
    }

    // ---- Reachability ----

    [Fact]
    public void A_Never_pool_across_subnets_leaves_the_other_subnet_unreachable()
    {
        var findings = Check(NetworkCheck.Reachability, SeedLab.Nodes(), SeedLab.IPIPPool(IPIPMode.Never));
        Assert.Equal(["node1", "node2", "node3"], findings.Select(f => f.Subject));
        var node3 = findings[2];
        Assert.Equal(Severity.Error, node3.Severity);
        Assert.StartsWith("node3's workloads in pool default-ipv4-ippool (192.168.3.0/26) cannot be reached from node1, node2. As node1 plans it: Never: node3 (10.0.3.20) is outside this node's subnet 10.0.2.0/24", node3.Message);
        Assert.StartsWith("Pool default-ipv4-ippool is not encapsulated and these nodes are on different subnets: Set-CalicoIPPool -Name default-ipv4-ippool -IPIPMode CrossSubnet", node3.Fix);
    }

    [Fact]
    public void A_block_of_a_node_gone_from_the_datastore_is_unreachable_from_every_node()
    {
        AllocationBlock[] blocks = [.. SeedLab.Blocks(), SeedLab.Block("192.168.7.0/26", "node7", ("192.168.7.1", "node7", null))];
        var finding = Assert.Single(Check(SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], blocks, NetworkCheck.Reachability));
        Assert.Equal("node7", finding.Subject);
        Assert.Contains("cannot be reached from node1, node2, node3", finding.Message);
        Assert.StartsWith("node7 is not in the datastore, but IPAM still holds addresses for it", finding.Fix);
    }

    [Fact]
    public void Unreachable_workloads_another_check_explains_are_not_reported_twice()
    {
        var findings = Check(SeedWith(Node3WithoutVxlanTunnelAddress()), [SeedLab.VXLANPool(VXLANMode.Always)]);
        var finding = Assert.Single(findings);
        Assert.Equal(NetworkCheck.TunnelAddress, finding.Check);
    }

    // ---- the runner ----

    [Fact]
    public void Findings_come_errors_first_and_only_for_the_checks_asked_for()
    {
        var nodes = SeedWith(SeedLab.Node("node2", "10.0.2.10/32", tunnel: "192.168.2.0"));
        var all = Check(nodes, [SeedLab.IPIPPool(IPIPMode.CrossSubnet), SeedLab.Pool("vx", "10.9.0.0/16", vxlan: VXLANMode.Always)]);
        Assert.Equal(all.OrderByDescending(f => f.Severity).Select(f => f.Severity), all.Select(f => f.Severity));
        Assert.Contains(all, f => f.Check == NetworkCheck.NodeSubnet);
        var onlyPairs = Check(nodes, [SeedLab.IPIPPool(IPIPMode.CrossSubnet)], null, NetworkCheck.AsymmetricPair);
        Assert.All(onlyPairs, f => Assert.Equal(NetworkCheck.AsymmetricPair, f.Check));
        Assert.NotEmpty(onlyPairs);
    }
}
