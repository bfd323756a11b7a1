namespace Calico.Routing;

/// <summary>The neighbour and FDB entry felix programs for each remote VTEP (vxlan_mgr.go:229-264).</summary>
internal static class VxlanEntries
{
    public static (VxlanNeighbour Neighbour, VxlanForwardingEntry Forwarding)? For(NodeFacts remote, LocalNode local, int family)
    {
        // Every other node's VTEP counts, blocks or not; this node's own VTEP configures its device instead (vxlan_mgr.go:179-183).
        if (remote.Name == local.Name || !local.Encapsulation.VXLANRoutes(family)) return null;
        var vtep = remote.VtepFor(family);
        // A MAC that does not parse is skipped (vxlan_mgr.go:241-246).
        if (vtep is null || !vtep.MacIsValid) return null;
        var device = family == 6 ? TunnelDevicePlan.VXLANDeviceV6 : TunnelDevicePlan.VXLANDevice;
        return (new VxlanNeighbour(device, vtep.TunnelAddress, vtep.Mac, remote.Name),
            new VxlanForwardingEntry(device, vtep.Mac, vtep.NodeAddress, remote.Name));
    }
}
