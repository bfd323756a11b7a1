using Calico.Dataplane.Kernel;
using Calico.Routing;

namespace Calico.Dataplane.HostChecks;

/// <summary>
/// Is the host a router? Workload traffic is forwarded: net.ipv4.ip_forward on, and forwarding on for each interface
/// it enters by (the node's interface, the tunnel devices, every workload interface). The IPv6 switch only matters
/// for a node with an IPv6 address.
/// </summary>
internal static class ForwardingCheck
{
    private static readonly SysctlKey IPv4 = SysctlKey.Parse("net.ipv4.ip_forward");
    private static readonly SysctlKey IPv6 = SysctlKey.Parse("net.ipv6.conf.all.forwarding");

    public static void Run(HostCheckContext c)
    {
        var prefixes = c.Settings.InterfacePrefix.Split(',');
        var devices = c.Links.Select(l => l.Name)
            .Where(n => n == c.Facts.ParentInterface || n is TunnelDevicePlan.IPIPDevice or TunnelDevicePlan.VXLANDevice
                || prefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        var perDevice = devices.ToDictionary(d => SysctlKey.ForInterface("net.ipv4.conf", d, "forwarding"));
        var values = c.Kernel.GetSysctls([IPv4, IPv6, .. perDevice.Keys]);

        if (values.TryGetValue(IPv4, out var on) && on.Trim() != "1")
        {
            // Writing ip_forward sets every interface's switch too: one finding covers them all.
            c.Add(HostFindingSeverity.Error, HostFinding.Forwarding,
                $"net.ipv4.ip_forward is {on.Trim()}: this host does not route workload traffic.",
                "Sync-CalicoDataplane turns it on (as felix does); or: sysctl -w net.ipv4.ip_forward=1, and persist it in /etc/sysctl.d/");
        }
        else foreach (var (key, device) in perDevice)
        {
            if (values.TryGetValue(key, out var value) && value.Trim() == "0")
            {
                c.Add(HostFindingSeverity.Error, HostFinding.Forwarding,
                    $"{key} is 0: packets arriving on {device} are not forwarded.",
                    $"sysctl -w {key}=1 (setting net.ipv4.ip_forward=1 sets it for every interface)");
            }
        }
        if (!string.IsNullOrEmpty(c.Node.IPv6Address) && values.TryGetValue(IPv6, out var v6) && v6.Trim() != "1")
        {
            c.Add(HostFindingSeverity.Warning, HostFinding.Forwarding,
                $"the node has an IPv6 address but net.ipv6.conf.all.forwarding is {v6.Trim()}: IPv6 workload traffic is not routed.",
                "sysctl -w net.ipv6.conf.all.forwarding=1 (this also stops the host accepting router advertisements unless accept_ra is 2)");
        }
    }
}
