using System.Net;

namespace Calico.Dataplane.Kernel;

/// <summary>
/// A network device as `ip -details link show` reports it. Kind-specific settings are in
/// <see cref="Vxlan"/> or <see cref="IpTunnel"/>; a veth's peer and a tunnel's underlying device are
/// <see cref="LinkedName"/> / <see cref="LinkedIndex"/>.
/// </summary>
public sealed record Link
{
    public required int Index { get; init; }
    public required string Name { get; init; }

    /// <summary>The driver kind: "veth", "vxlan", "ipip", "bridge", ...; null for a plain device (lo, a NIC).</summary>
    public string? Kind { get; init; }

    public int Mtu { get; init; }

    /// <summary>Administratively up (IFF_UP); see <see cref="OperationalState"/> for whether it carries traffic.</summary>
    public bool IsUp => Flags.Contains("UP");

    /// <summary>The device flags as iproute2 names them: "UP", "LOWER_UP", "NOARP", "POINTOPOINT", ...</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>RFC 2863 state: "UP", "DOWN", "UNKNOWN", "LOWERLAYERDOWN", ...</summary>
    public string OperationalState { get; init; } = "UNKNOWN";

    /// <summary>The link-layer type: "ether", "loopback", "ipip", "none", ...</summary>
    public string? LinkType { get; init; }

    /// <summary>The link-layer address as iproute2 prints it: a MAC for Ethernet, an IPv4 address for ipip.</summary>
    public string? Address { get; init; }

    /// <summary>The bridge (or bond) this device is enslaved to.</summary>
    public string? Master { get; init; }

    /// <summary>The peer of a veth or the device under a tunnel (IFLA_LINK), by name when it is in this namespace.</summary>
    public string? LinkedName { get; init; }

    /// <summary>IFLA_LINK by index, when the linked device is in another namespace (see <see cref="LinkedNamespaceId"/>).</summary>
    public int? LinkedIndex { get; init; }

    /// <summary>The local id (`ip netns list-id`) of the namespace holding the linked device, when it is elsewhere.</summary>
    public int? LinkedNamespaceId { get; init; }

    public VxlanLinkInfo? Vxlan { get; init; }
    public IpTunnelLinkInfo? IpTunnel { get; init; }
}

/// <summary>A VXLAN device's settings (`ip -d link` info_data).</summary>
public sealed record VxlanLinkInfo
{
    public required int Vni { get; init; }
    public IPAddress? Local { get; init; }
    /// <summary>The unicast remote or multicast group, when one is set.</summary>
    public IPAddress? Remote { get; init; }
    /// <summary>The device VXLAN packets leave by.</summary>
    public string? Device { get; init; }
    /// <summary>The destination UDP port (4789 for Calico).</summary>
    public int Port { get; init; }
    public bool Learning { get; init; }
    public int Ttl { get; init; }
}

/// <summary>An ipip (or other IP tunnel) device's settings.</summary>
public sealed record IpTunnelLinkInfo
{
    /// <summary>Null when "any", as on Calico's tunl0.</summary>
    public IPAddress? Local { get; init; }
    public IPAddress? Remote { get; init; }
    public string? Device { get; init; }
    /// <summary>0 means inherit.</summary>
    public int Ttl { get; init; }
    public bool PathMtuDiscovery { get; init; }
}
