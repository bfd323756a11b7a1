using System.Net;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>
/// The seed's lab as Calico data: node1 10.0.2.15/24 and node2 10.0.2.10/24 on lanA, node3 10.0.3.20/24 on lanB,
/// pool 192.168.0.0/16, and one /26 block per node whose first address is the node's tunnel address, as IPAM hands
/// it out. Plus small builders for variations.
/// </summary>
internal static class SeedLab
{
    public const string PoolCidr = "192.168.0.0/16";

    /// <summary>Known host interface and MTU, so routes name eth0 and MTUs are 1500 − overhead.</summary>
    public static RouteSettings Settings { get; } = new() { HostInterface = "eth0", HostMTU = 1500 };

    public static Node[] Nodes(string node2Address = "10.0.2.10/24") =>
    [
        Node("node1", "10.0.2.15/24", tunnel: "192.168.1.0"),
        Node("node2", node2Address, tunnel: "192.168.2.0"),
        Node("node3", "10.0.3.20/24", tunnel: "192.168.3.0"),
    ];

    public static AllocationBlock[] Blocks(string type = AllocationAttribute.TypeIPIP) =>
    [
        Block("192.168.1.0/26", "node1", ("192.168.1.0", "node1", type), ("192.168.1.1", "node1", null)),
        Block("192.168.2.0/26", "node2", ("192.168.2.0", "node2", type)),
        Block("192.168.3.0/26", "node3", ("192.168.3.0", "node3", type)),
    ];

    public static IPPool IPIPPool(IPIPMode mode) => Pool("default-ipv4-ippool", PoolCidr, ipip: mode);
    public static IPPool VXLANPool(VXLANMode mode) => Pool("default-ipv4-ippool", PoolCidr, vxlan: mode);

    /// <summary>A node with its tunnel address set both as IPIP and VXLAN tunnel address.</summary>
    public static Node Node(string name, string? ipv4, string? tunnel = null, string? ipv6 = null, string? tunnelV6 = null)
    {
        var node = new Node { Name = name };
        if (ipv4 is not null || ipv6 is not null || tunnel is not null)
            node.Spec.BGP = new NodeBGPSpec { IPv4Address = ipv4, IPv6Address = ipv6, IPv4IPIPTunnelAddr = tunnel };
        node.Spec.IPv4VXLANTunnelAddr = tunnel;
        node.Spec.IPv6VXLANTunnelAddr = tunnelV6;
        return node;
    }

    public static IPPool Pool(string name, string cidr, IPIPMode ipip = IPIPMode.Never, VXLANMode vxlan = VXLANMode.Never,
        bool nat = false, bool disabled = false, string? nodeSelector = null, IPPoolAllowedUse[]? uses = null) =>
        new()
        {
            Name = name,
            Spec = new IPPoolSpec
            {
                Cidr = cidr,
                IPIPMode = ipip,
                VXLANMode = vxlan,
                NatOutgoing = nat,
                Disabled = disabled,
                NodeSelector = nodeSelector ?? "all()",
                AllowedUses = uses?.ToList() ?? [IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel],
            },
        };

    /// <summary>A block with the given addresses allocated to the given nodes (type null: a workload).</summary>
    public static AllocationBlock Block(string cidr, string? host, params (string Address, string Node, string? Type)[] allocations)
    {
        var block = AllocationBlock.Create(IPPrefix.Parse(cidr), host, DateTimeOffset.UnixEpoch);
        block.Attributes = [];
        foreach (var (address, node, type) in allocations)
        {
            var ordinal = block.AddressToOrdinal(IPAddress.Parse(address));
            var attributes = new Dictionary<string, string> { [AllocationAttribute.NodeKey] = node };
            if (type is not null) attributes[AllocationAttribute.TypeKey] = type;
            block.Attributes.Add(new AllocationAttribute { HandleId = $"h-{address}", Secondary = attributes });
            block.Allocations![ordinal] = block.Attributes.Count - 1;
            block.Unallocated!.Remove(ordinal);
        }
        return block;
    }

    public static RoutePlan Plan(string localNode, IEnumerable<Node> nodes, IEnumerable<IPPool> pools,
        IEnumerable<AllocationBlock>? blocks = null, RouteSettings? settings = null) =>
        RoutePlanner.Plan(localNode, nodes, pools, blocks ?? Blocks(), settings ?? Settings);

    /// <summary>The plan's routes in iproute2's words.</summary>
    public static string[] Lines(RoutePlan plan) => plan.Routes.Select(r => r.ToString()).ToArray();

    public static PlannedRoute Route(RoutePlan plan, string destination) =>
        plan.Routes.Single(r => r.Destination.ToString() == destination);
}
