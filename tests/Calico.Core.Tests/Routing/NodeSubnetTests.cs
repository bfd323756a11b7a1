using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>The seed's pre-v2.1 problem: a node stored as /32 (or with a bare address) under CrossSubnet.</summary>
public class NodeSubnetTests
{
    private static RoutePlan PlanWithNode2As(string address, string localNode, IPIPMode mode = IPIPMode.CrossSubnet) =>
        SeedLab.Plan(localNode, SeedLab.Nodes(node2Address: address), [SeedLab.IPIPPool(mode)]);

    [Fact]
    public void A_32_node_tunnels_to_every_peer_and_says_why()
    {
        var plan = PlanWithNode2As("10.0.2.10/32", "node2");
        var toNode1 = SeedLab.Route(plan, "192.168.1.0/26");
        Assert.Equal("192.168.1.0/26 via 10.0.2.15 dev tunl0 onlink proto 80 mtu 1480", toNode1.ToString());
        Assert.StartsWith("IPIP CrossSubnet: local node has no subnet (stored as 10.0.2.10/32): CrossSubnet cannot tell same-subnet peers, so tunnelled",
            toNode1.Reason);
        Assert.Equal(PlannedRouteType.IPIP, SeedLab.Route(plan, "192.168.3.0/26").Type);
    }

    [Fact]
    public void The_32_node_plan_says_its_peer_sends_back_unencapsulated()
    {
        var plan = PlanWithNode2As("10.0.2.10/32", "node2");
        Assert.EndsWith("; node1's subnet 10.0.2.0/24 holds this node's address, so it sends to this node unencapsulated: asymmetric",
            SeedLab.Route(plan, "192.168.1.0/26").Reason);
        Assert.Contains(plan.Findings, f => f.Node == "node2" && f.Message.Contains("stored as 10.0.2.10/32, with no subnet"));
        Assert.Contains(plan.Findings, f => f.Node == "node1" && f.Message.StartsWith("asymmetric under CrossSubnet: node1 (10.0.2.15/24) counts this node"));
    }

    [Fact]
    public void Its_partner_still_sends_directly_because_only_the_senders_prefix_counts_and_says_it_is_asymmetric()
    {
        var plan = PlanWithNode2As("10.0.2.10/32", "node1");
        var toNode2 = SeedLab.Route(plan, "192.168.2.0/26");
        Assert.Equal("192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80", toNode2.ToString());
        Assert.Equal("IPIP CrossSubnet: node2 (10.0.2.10) is in this node's subnet 10.0.2.0/24, so sent unencapsulated; "
            + "node2 has no subnet (stored as 10.0.2.10/32), so it tunnels its traffic to this node: asymmetric", toNode2.Reason);
        Assert.Contains(plan.Findings, f => f.Node == "node2" && f.Severity == FindingSeverity.Warning
            && f.Message.StartsWith("asymmetric under CrossSubnet: this node (10.0.2.15/24) counts node2 (10.0.2.10/32) as same-subnet"));
    }

    [Fact]
    public void A_32_node_is_no_problem_under_Always()
    {
        var plan = PlanWithNode2As("10.0.2.10/32", "node2", IPIPMode.Always);
        Assert.DoesNotContain(plan.Findings, f => f.Message.Contains("asymmetric") || f.Message.Contains("no subnet"));
        Assert.DoesNotContain("asymmetric", SeedLab.Route(plan, "192.168.1.0/26").Reason);
    }

    [Fact]
    public void A_bare_address_counts_as_32_for_CrossSubnet()
    {
        var plan = PlanWithNode2As("10.0.2.10", "node2", IPIPMode.CrossSubnet);
        // Host metadata ignores the bare address, so tunl0 routes have no parent to use; the decision is still /32's.
        Assert.Contains("local node has no subnet (stored as 10.0.2.10)", SeedLab.Route(plan, "192.168.1.0/26").Reason);
    }

    [Fact]
    public void Felix_HEAD_programs_no_IPIP_route_to_a_node_whose_address_has_no_prefix()
    {
        var plan = PlanWithNode2As("10.0.2.10", "node1", IPIPMode.Always);
        var toNode2 = SeedLab.Route(plan, "192.168.2.0/26");
        Assert.Equal(PlannedRouteType.Unreachable, toNode2.Type);
        Assert.Contains("node2's ipv4Address '10.0.2.10' has no prefix", toNode2.Reason);
        Assert.Contains(plan.Findings, f => f.Node == "node2" && f.Message.Contains("no node programs IPIP routes to node2"));
    }

    [Fact]
    public void CrossSubnet_same_subnet_routes_to_a_bare_address_node_still_work_because_the_resolver_reads_it_as_32()
    {
        var plan = PlanWithNode2As("10.0.2.10", "node1", IPIPMode.CrossSubnet);
        Assert.Equal("192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80", SeedLab.Route(plan, "192.168.2.0/26").ToString());
    }

    [Fact]
    public void Under_Never_a_32_node_has_no_on_link_peers()
    {
        var plan = PlanWithNode2As("10.0.2.10/32", "node2", IPIPMode.Never);
        var toNode1 = SeedLab.Route(plan, "192.168.1.0/26");
        Assert.Equal(PlannedRouteType.Unreachable, toNode1.Type);
        Assert.StartsWith("Never: this node has no subnet (stored as 10.0.2.10/32), so node1 (10.0.2.15) cannot be known to be on its link", toNode1.Reason);
    }

    [Fact]
    public void A_local_node_missing_from_the_datastore_tunnels_everything_and_plans_no_direct_route()
    {
        var plan = SeedLab.Plan("node9", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)]);
        Assert.All(plan.Routes, r => Assert.Equal(PlannedRouteType.IPIP, r.Type));
        Assert.Contains(plan.Findings, f => f.Node == "node9" && f.Message.StartsWith("this node is not in the datastore"));
    }

    [Fact]
    public void Without_bgp_addresses_the_InternalIP_address_stands_in()
    {
        var nodes = SeedLab.Nodes();
        nodes[2].Spec.BGP = null;
        nodes[2].Spec.Addresses = [new Calico.Resources.NodeAddress { Address = "10.0.3.21/24", Type = "InternalIP" }];
        var plan = SeedLab.Plan("node1", nodes, [SeedLab.IPIPPool(IPIPMode.Always)]);
        Assert.Equal("192.168.3.0/26 via 10.0.3.21 dev tunl0 onlink proto 80 mtu 1480", SeedLab.Route(plan, "192.168.3.0/26").ToString());
    }
}
