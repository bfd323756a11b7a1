using System.Net;

namespace Calico.Routing;

/// <summary>The node being planned for: its facts (if it is in the datastore) and what follows from them.</summary>
internal sealed class LocalNode
{
    public LocalNode(string name, NodeFacts? facts, RouteSettings settings, Encapsulation encapsulation)
    {
        Name = name;
        Facts = facts;
        Settings = settings;
        Encapsulation = encapsulation;
    }

    public string Name { get; }
    public NodeFacts? Facts { get; }
    public RouteSettings Settings { get; }
    public Encapsulation Encapsulation { get; }

    public string HostInterfaceName => Settings.HostInterface ?? PlannedRoute.HostInterface;

    public NodeIP? Address(int family) => Facts?.Address(family);

    /// <summary>
    /// Whether a route manager knows its parent (host) interface: felix finds it by the local host-metadata address for
    /// IPIP and unencapsulated routes (ipip_mgr.go:127-129; noencap_mgr.go:94-105), by the local VTEP for VXLAN
    /// (vxlan_mgr.go:200-212); without it no same-subnet route is programmed (route_mgr.go:444-447).
    /// </summary>
    public bool KnowsHostInterface(PoolRouteType type, int family) =>
        type == PoolRouteType.VXLAN ? Facts?.VtepFor(family) is not null : Facts?.HostAddress(family) is not null;

    /// <summary>
    /// nodeInOurSubnet (l3_route_resolver.go:898-919): this node's own prefix holds the other node's address. The other
    /// node's prefix is never consulted, and a /32 holds nothing but itself.
    /// </summary>
    public bool HoldsInSubnet(NodeFacts? other, int family)
    {
        var mine = Address(family);
        var theirs = other?.Address(family);
        return mine is not null && theirs is not null && mine.Subnet.Contains(theirs.Key);
    }

    /// <summary>The project's rule for Never pools: a peer is on-link when this node's subnet holds its address.</summary>
    public bool IsOnLink(IPAddress peer, int family)
    {
        var mine = Address(family);
        return mine is not null && mine.HasSubnet && mine.Subnet.Contains(NetKey.FromAddress(peer));
    }
}
