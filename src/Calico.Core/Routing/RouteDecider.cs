using System.Net;

namespace Calico.Routing;

/// <summary>
/// Turns a resolved destination into this node's route the way felix's route managers do (route_mgr.go:169-215,372-463;
/// ipip_mgr.go:168-185; vxlan_mgr.go:266-296), with one deliberate difference for unencapsulated (Never) pools:
/// felix programs "via the remote node, onlink" whether or not the remote node is on this node's link and lets the
/// fabric (or BGP) cope; this project plans a direct route only to a node on this node's subnet and reports every other
/// one as unreachable without BGP, which is what it is on a routed fabric.
/// </summary>
internal static class RouteDecider
{
    public static PlannedRoute? Decide(in RouteResolution d, LocalNode local, ClusterIndex cluster, out PlanFinding? finding)
    {
        finding = null;
        var encapsulation = local.Encapsulation;
        var family = d.Family;
        var pool = d.Pool.Pool;
        if (!d.WantsRoute)
        {
            if (d.IsLocalBlock && encapsulation.ManagerRuns(d.Pool.Type, family))
            {
                return new PlannedRoute
                {
                    Destination = Prefix(d),
                    Type = PlannedRouteType.Blackhole,
                    Protocol = local.Settings.CalicoRouteProtocol,
                    Pool = pool?.Name,
                    Reason = $"local block of pool {pool?.Name} ({pool?.ModeLabel}): addresses not given to a workload are dropped",
                };
            }
            return null;
        }

        var node = d.Node!;
        if (node == local.Name)
        {
            // felix would route this address via this very node (a borrowed local address: REMOTE_WORKLOAD from the
            // lending block); its local-workload route class overrides that (routetable/defs.go:36-48), so no route.
            finding = new PlanFinding(local.Name, FindingSeverity.Information,
                $"{Prefix(d)} is this node's own address in {d.EnclosingHost}'s block {d.Block?.Cidr}: the workload's own route serves it, no cluster route is planned");
            return null;
        }

        var subject = Subject(d);
        var remote = cluster.Nodes.GetValueOrDefault(node);
        var mode = pool?.ModeLabel ?? "no pool";
        if (ManagerMissing(d, local) is { } why) return Unreachable(d, node, subject + why);

        var type = d.Pool.Type;
        var remoteIP = remote?.Address(family)?.Address;
        var sameSubnet = d.Pool.CrossSubnet && local.HoldsInSubnet(remote, family);
        if (local.KnowsHostInterface(type, family) && (type == PoolRouteType.NoEncap || sameSubnet) && remoteIP is not null)
        {
            if (type == PoolRouteType.NoEncap && !local.IsOnLink(remoteIP, family))
                return Unreachable(d, node, subject + $"Never: {NotOnLink(local, node, remoteIP, family)}; unencapsulated traffic to it needs BGP or a fabric route, so unreachable without BGP");
            var why2 = type == PoolRouteType.NoEncap
                ? $"Never: {node} ({remoteIP}) is on this node's subnet {local.Address(family)!.SubnetText}, so routed directly"
                : $"{mode}: {node} ({remoteIP}) is in this node's subnet {local.Address(family)!.SubnetText}, so sent unencapsulated";
            return Via(d, PlannedRouteType.Direct, remoteIP, local.HostInterfaceName, local.Settings.CalicoRouteProtocol, null, node,
                subject + why2 + Asymmetry(local, remote, family, sendsDirect: true, d.Pool.CrossSubnet));
        }

        var tunnelWhy = TunnelWhy(d, local, remote, node, family, sameSubnet);
        switch (type)
        {
            case PoolRouteType.IPIP:
                // The gateway is the node's host-metadata address, not the resolver's (ipip_mgr.go:168-174).
                var gateway = remote?.HostAddressV4;
                if (gateway is null)
                    return Unreachable(d, node, subject + $"{mode}: {NoHostAddress(remote, node, 4)}, so there is no address to tunnel to");
                return Via(d, PlannedRouteType.IPIP, gateway, TunnelDevicePlan.IPIPDevice, local.Settings.CalicoRouteProtocol,
                    encapsulation.IPIPMtu, node,
                    subject + $"{mode}: {tunnelWhy}" + Asymmetry(local, remote, family, sendsDirect: false, d.Pool.CrossSubnet));
            case PoolRouteType.VXLAN:
                var device = family == 6 ? TunnelDevicePlan.VXLANDeviceV6 : TunnelDevicePlan.VXLANDevice;
                if (d.IsRemoteTunnelAddress)
                {
                    // No gateway: this address is the remote VTEP itself (vxlan_mgr.go:267-276). The route carries no
                    // protocol, so the route table gives it DeviceRouteProtocol (felix/routetable/route_table.go:769-772).
                    return new PlannedRoute
                    {
                        Destination = Prefix(d),
                        Device = device,
                        Type = PlannedRouteType.VXLANTunnelAddress,
                        Protocol = local.Settings.DeviceRouteProtocol,
                        Scope = RouteScope.Link,
                        Mtu = encapsulation.VXLANMtuFor(family),
                        RemoteNode = node,
                        Pool = pool?.Name,
                        Reason = subject + $"{mode}: {node}'s VXLAN tunnel address, reached straight over {device}",
                    };
                }
                var vtep = remote?.VtepFor(family);
                if (vtep is null)
                    return Unreachable(d, node, subject + $"{mode}: {NoVtep(remote, node, family)}");
                // A VXLAN route carries no protocol of its own either (vxlan_mgr.go:288-295).
                return Via(d, PlannedRouteType.VXLAN, vtep.TunnelAddress, device, local.Settings.DeviceRouteProtocol,
                    encapsulation.VXLANMtuFor(family), node,
                    subject + $"{mode}: {tunnelWhy} to its VTEP {vtep.TunnelAddress}" + Asymmetry(local, remote, family, sendsDirect: false, d.Pool.CrossSubnet));
            default:
                var missing = !local.KnowsHostInterface(type, family)
                    ? $"{NoHostAddress(local.Facts, "this node", family)}, so its host interface is unknown"
                    : $"{node} has no IPv{family} address";
                return Unreachable(d, node, subject + $"Never: {missing}");
        }
    }

    /// <summary>Why no route manager takes this destination, or null when one does.</summary>
    private static string? ManagerMissing(in RouteResolution d, LocalNode local)
    {
        var e = local.Encapsulation;
        var family = d.Family;
        var pool = d.Pool.Pool;
        switch (d.Pool.Type)
        {
            case PoolRouteType.None when pool is null:
                return "in no IP pool: felix gives it no route (its pool type is NONE, l3_route_resolver.go:726-753)";
            case PoolRouteType.None:
                return $"pool {pool!.Name} is LoadBalancer-only, which has no route type (l3_route_resolver.go:626-632)";
            case PoolRouteType.IPIP when family == 6:
                return $"{pool!.ModeLabel}: IP-in-IP carries only IPv4 (ipip_mgr.go:86-89)";
            case PoolRouteType.IPIP when !e.IPIPEnabled:
                return $"{pool!.ModeLabel}: IPIP is off (FelixConfiguration ipipEnabled: false), so tunl0 routes are not programmed";
            case PoolRouteType.IPIP when !e.ProgramIPIPRoutes:
                return $"{pool!.ModeLabel}: programClusterRoutes {local.Settings.ProgramClusterRoutes} leaves IPIP routes to BIRD, so unreachable without BGP";
            case PoolRouteType.VXLAN when family == 6 && !e.IPv6Support:
            case PoolRouteType.NoEncap when family == 6 && !e.IPv6Support:
                return $"{pool!.ModeLabel}: IPv6 support is off (ipv6Support: false)";
            case PoolRouteType.VXLAN when !e.VXLANRoutes(family):
                return $"{pool!.ModeLabel}: VXLAN is off (FelixConfiguration vxlanEnabled: false)";
            case PoolRouteType.NoEncap when !e.NoEncapRoutes(family):
                return $"Never: programClusterRoutes {local.Settings.ProgramClusterRoutes} leaves unencapsulated pools to BGP (BIRD), so unreachable without BGP";
            default:
                return null;
        }
    }

    /// <summary>Why a tunnel is used: Always, or why CrossSubnet did not find the peer in this node's subnet.</summary>
    private static string TunnelWhy(in RouteResolution d, LocalNode local, NodeFacts? remote, string node, int family, bool sameSubnet)
    {
        var remoteIP = remote?.Address(family)?.Address;
        var who = remoteIP is null ? node : $"{node} ({remoteIP})";
        if (!d.Pool.CrossSubnet) return $"tunnelled to {who}";
        var mine = local.Address(family);
        if (sameSubnet)
            return $"{who} is in this node's subnet {mine!.SubnetText}, but this node's host interface is unknown, so tunnelled";
        if (mine is null)
            return $"this node has no IPv{family} address, so CrossSubnet cannot tell same-subnet peers: tunnelled to {who}";
        if (!mine.HasSubnet)
            return $"local node has no subnet (stored as {mine.Text}): CrossSubnet cannot tell same-subnet peers, so tunnelled to {who}";
        if (remoteIP is null) return $"{node} has no IPv{family} address, so it cannot be same-subnet: tunnelled";
        return $"{who} is outside this node's subnet {mine.SubnetText}, so tunnelled";
    }

    /// <summary>
    /// Says when the other node decides the other way for the reverse path: felix's same-subnet test uses only the
    /// sender's own prefix (l3_route_resolver.go:900-919), so a node stored as /32 tunnels while its peer does not.
    /// </summary>
    private static string Asymmetry(LocalNode local, NodeFacts? remote, int family, bool sendsDirect, bool crossSubnet)
    {
        if (!crossSubnet && !sendsDirect) return "";
        var mine = local.Address(family);
        var theirs = remote?.Address(family);
        if (mine is null || theirs is null) return "";
        var theySendDirect = theirs.Subnet.Contains(mine.Key);
        if (theySendDirect == sendsDirect) return "";
        if (sendsDirect)
        {
            var how = crossSubnet ? "tunnels its traffic to this node" : "has no direct route back to this node";
            return theirs.HasSubnet
                ? $"; {remote!.Name}'s subnet {theirs.SubnetText} does not hold this node's address, so it {how}: asymmetric"
                : $"; {remote!.Name} has no subnet (stored as {theirs.Text}), so it {how}: asymmetric";
        }
        return $"; {remote!.Name}'s subnet {theirs.SubnetText} holds this node's address, so it sends to this node unencapsulated: asymmetric";
    }

    private static string NotOnLink(LocalNode local, string node, IPAddress remoteIP, int family)
    {
        var mine = local.Address(family);
        if (mine is null) return $"this node has no IPv{family} address, so {node} ({remoteIP}) cannot be known to be on its link";
        return mine.HasSubnet
            ? $"{node} ({remoteIP}) is outside this node's subnet {mine.SubnetText}"
            : $"this node has no subnet (stored as {mine.Text}), so {node} ({remoteIP}) cannot be known to be on its link";
    }

    /// <summary>Why a node has no host-metadata address (dataplane_passthru.go:161-201).</summary>
    private static string NoHostAddress(NodeFacts? facts, string node, int family)
    {
        if (facts is null) return $"{node} is not in the datastore";
        if (family == 4 && facts.IgnoredBareAddressV4 is { } bare)
            return $"{node}'s ipv4Address '{bare}' has no prefix, and felix ignores a bare address as host metadata (dataplane_passthru.go:168-185)";
        return $"{node} has no IPv{family} address";
    }

    private static string NoVtep(NodeFacts? remote, string node, int family)
    {
        if (remote is null) return $"node {node} is not in the datastore, so it has no VTEP";
        var (address, tunnel) = family == 6
            ? ("spec.bgp.ipv6Address", "spec.ipv6VXLANTunnelAddr")
            : ("spec.bgp.ipv4Address", "spec.ipv4VXLANTunnelAddr");
        return $"{node} has no VTEP: it needs {address} and {tunnel} (vxlan_resolver.go:237-282)";
    }

    /// <summary>What the destination is, when it is not simply a block of its node.</summary>
    private static string Subject(in RouteResolution d)
    {
        var block = d.Block;
        if (block is not null && block.Key.Equals(d.Key)) return "";
        var address = d.Key.ToAddress();
        if (d.EnclosingHost is not null) return $"{address} of {d.Node}, in {d.EnclosingHost}'s block {block!.CidrText}: ";
        return block is null ? $"{address} of {d.Node}: " : $"{address} of {d.Node}, in unowned block {block.CidrText}: ";
    }

    /// <summary>A route via a gateway: felix's onlink, no-encap and VXLAN targets all set onlink (felix/routetable/defs.go:153-160).</summary>
    private static PlannedRoute Via(in RouteResolution d, PlannedRouteType type, IPAddress gateway, string device, int protocol,
        int? mtu, string node, string reason) => new()
    {
        Destination = Prefix(d),
        Gateway = gateway,
        Device = device,
        Type = type,
        OnLink = true,
        Protocol = protocol,
        Mtu = mtu,
        RemoteNode = node,
        Pool = d.Pool.Pool?.Name,
        Reason = reason,
    };

    private static PlannedRoute Unreachable(in RouteResolution d, string node, string reason) => new()
    {
        Destination = Prefix(d),
        Type = PlannedRouteType.Unreachable,
        RemoteNode = node,
        Pool = d.Pool.Pool?.Name,
        Reason = reason,
    };

    private static Calico.Net.IPPrefix Prefix(in RouteResolution d) =>
        d.Block is { } b && b.Key.Equals(d.Key) ? b.Cidr : d.Key.ToPrefix();
}
