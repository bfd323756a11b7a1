using System.Net;

namespace Calico.Routing;

/// <summary>
/// A permanent neighbour entry on the VXLAN device: a remote VTEP's tunnel address → its MAC, so the kernel can build
/// the inner Ethernet header without ARP (felix/vxlanfdb/vxlan_fdb.go:187-191,225-236).
/// </summary>
public sealed record VxlanNeighbour(string Device, IPAddress Address, string Mac, string Node)
{
    public override string ToString() => $"{Address} dev {Device} lladdr {Mac} nud permanent";
}

/// <summary>
/// A permanent bridge FDB entry on the VXLAN device: a remote VTEP's MAC → the remote node's address, where the kernel
/// sends VXLAN packets for that MAC (felix/vxlanfdb/vxlan_fdb.go:192-199,239-250).
/// </summary>
public sealed record VxlanForwardingEntry(string Device, string Mac, IPAddress Destination, string Node)
{
    public override string ToString() => $"{Mac} dev {Device} dst {Destination} self permanent";
}
