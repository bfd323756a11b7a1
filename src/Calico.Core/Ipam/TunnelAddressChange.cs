using Calico.Resources;
using Calico.Routing;

namespace Calico.Ipam;

/// <summary>What reconciling did to one tunnel address.</summary>
public enum TunnelAddressAction
{
    /// <summary>The current address is still valid.</summary>
    Kept,
    /// <summary>The node had no address and got one.</summary>
    Assigned,
    /// <summary>The current address could not stay; a new one replaced it.</summary>
    Reassigned,
    /// <summary>No pool is eligible any more; the address was cleared and released.</summary>
    Released,
    /// <summary>No pool is eligible and the node had no address.</summary>
    None,
}

/// <summary>One tunnel address before and after, and why.</summary>
public sealed record TunnelAddressChange(TunnelAddressType Type, TunnelAddressAction Action, string? OldAddress, string? NewAddress, string Reason);

/// <summary>
/// The node with its tunnel addresses reconciled (write it back through the resource store when
/// <see cref="NodeChanged"/>), and what happened to each address.
/// </summary>
public sealed record TunnelAddressResult(Node Node, bool NodeChanged, IReadOnlyList<TunnelAddressChange> Changes)
{
    /// <summary>
    /// The MAC felix gives the node's VXLAN device: the stored spec.vxlanTunnelMACAddr, else the one felix derives
    /// from the node name. calico-node on Linux never writes the MAC, so neither does reconciling.
    /// </summary>
    public string? VXLANTunnelMACAddr =>
        string.IsNullOrEmpty(Node.Spec.IPv4VXLANTunnelAddr) ? null
        : !string.IsNullOrEmpty(Node.Spec.VXLANTunnelMACAddr) ? Node.Spec.VXLANTunnelMACAddr
        : VtepMac.Generate(Node.Name, 4);
}
