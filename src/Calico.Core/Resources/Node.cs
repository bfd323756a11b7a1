using Calico.Net;

namespace Calico.Resources;

/// <summary>A Calico Node (kind Node in projectcalico.org/v3).</summary>
public sealed class Node : CalicoResource
{
    public const string KindName = "Node";
    public const string ListKindName = "NodeList";

    public override string Kind => KindName;
    public NodeSpec Spec { get; set; } = new();
    public NodeStatus Status { get; set; } = new();

    /// <summary>Calico's default AS number, used by nodes that set none when no BGPConfiguration says otherwise.</summary>
    public const uint DefaultASNumber = 64512;

    // Flat views for tables, pipelines and Where-Object.
    public ASNumber? ASNumber => Spec.BGP?.ASNumber;

    /// <summary>
    /// The cluster-wide AS number (BGPConfiguration "default") this node inherits when it sets none; filled in by
    /// whoever read the node from a datastore, never stored. Null means Calico's default, 64512.
    /// </summary>
    public ASNumber? GlobalASNumber { get; set; }

    /// <summary>The AS number as calicoctl prints it: the node's own, "(global)" when inherited, empty without BGP.</summary>
    public string ASNumberDisplay =>
        Spec.BGP is null ? ""
        : Spec.BGP.ASNumber is { } own ? own.ToString()
        : $"({(GlobalASNumber ?? new ASNumber(DefaultASNumber))})";

    /// <summary>The IPv4 address exactly as stored, with its prefix if it has one (e.g. 10.0.2.15/24).</summary>
    public string? IPv4Address => Spec.BGP?.IPv4Address;

    public string? IPv6Address => Spec.BGP?.IPv6Address;

    /// <summary>
    /// The node's subnet: the network of its IPv4 address's prefix. Null for a bare address or a /32,
    /// which is what breaks CrossSubnet (the pre-v2.1 problem).
    /// </summary>
    public IPPrefix? IPv4Subnet => SubnetOf(IPv4Address, 32);

    public IPPrefix? IPv6Subnet => SubnetOf(IPv6Address, 128);

    public string? IPv4IPIPTunnelAddr => Spec.BGP?.IPv4IPIPTunnelAddr;
    public string? IPv4VXLANTunnelAddr => Spec.IPv4VXLANTunnelAddr;

    private static IPPrefix? SubnetOf(string? address, int hostLength)
    {
        if (!IPPrefix.TryParse(address, out var p)) return null;
        return p.PrefixLength == hostLength ? null : p.Network;
    }

    public Node Clone() => new() { Metadata = Metadata.Clone(), Spec = Spec.Clone(), Status = Status.Clone(), GlobalASNumber = GlobalASNumber };
    public override CalicoResource CloneResource() => Clone();
}

public sealed class NodeSpec
{
    public NodeBGPSpec? BGP { get; set; }
    public string? IPv4VXLANTunnelAddr { get; set; }
    public string? VXLANTunnelMACAddr { get; set; }
    public string? IPv6VXLANTunnelAddr { get; set; }
    public string? VXLANTunnelMACAddrV6 { get; set; }
    public List<OrchRef>? OrchRefs { get; set; }
    public NodeWireguardSpec? Wireguard { get; set; }
    public List<NodeAddress>? Addresses { get; set; }
    public List<NodeInterface>? Interfaces { get; set; }

    public NodeSpec Clone() => new()
    {
        BGP = BGP?.Clone(),
        IPv4VXLANTunnelAddr = IPv4VXLANTunnelAddr,
        VXLANTunnelMACAddr = VXLANTunnelMACAddr,
        IPv6VXLANTunnelAddr = IPv6VXLANTunnelAddr,
        VXLANTunnelMACAddrV6 = VXLANTunnelMACAddrV6,
        OrchRefs = OrchRefs?.Select(o => o with { }).ToList(),
        Wireguard = Wireguard is null ? null : Wireguard with { },
        Addresses = Addresses?.Select(a => a with { }).ToList(),
        Interfaces = Interfaces?.Select(i => i with { Addresses = i.Addresses is null ? null : new List<string>(i.Addresses) }).ToList(),
    };
}

public sealed class NodeBGPSpec
{
    public ASNumber? ASNumber { get; set; }
    public string? IPv4Address { get; set; }
    public string? IPv6Address { get; set; }
    public string? IPv4IPIPTunnelAddr { get; set; }
    public string? RouteReflectorClusterID { get; set; }

    /// <summary>True when no field is set: Calico rejects an empty bgp object.</summary>
    public bool IsEmpty => ASNumber is null && string.IsNullOrEmpty(IPv4Address) && string.IsNullOrEmpty(IPv6Address)
        && string.IsNullOrEmpty(IPv4IPIPTunnelAddr) && string.IsNullOrEmpty(RouteReflectorClusterID);

    public NodeBGPSpec Clone() => (NodeBGPSpec)MemberwiseClone();
}

public sealed record OrchRef
{
    public string? NodeName { get; set; }
    public string Orchestrator { get; set; } = "";
}

public sealed record NodeAddress
{
    public string Address { get; set; } = "";
    public string? Type { get; set; }
}

public sealed record NodeInterface
{
    public string? Name { get; set; }
    public List<string>? Addresses { get; set; }
}

public sealed record NodeWireguardSpec
{
    public string? InterfaceIPv4Address { get; set; }
    public string? InterfaceIPv6Address { get; set; }
}

public sealed class NodeStatus
{
    public string? WireguardPublicKey { get; set; }
    public string? WireguardPublicKeyV6 { get; set; }
    public List<string>? PodCIDRs { get; set; }

    public NodeStatus Clone() => new()
    {
        WireguardPublicKey = WireguardPublicKey,
        WireguardPublicKeyV6 = WireguardPublicKeyV6,
        PodCIDRs = PodCIDRs is null ? null : new List<string>(PodCIDRs),
    };
}
