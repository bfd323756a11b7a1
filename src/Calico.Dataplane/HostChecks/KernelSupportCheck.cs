using Calico.Dataplane.Kernel;
using Calico.Routing;

namespace Calico.Dataplane.HostChecks;

/// <summary>
/// Can this kernel make what Calico needs: an ipip tunl0, a VXLAN device, an nftables NAT table? Each is tried
/// (<see cref="KernelFeatures"/>). Missing support is an error when the plan needs it, a warning when there is no
/// plan to tell, and information otherwise.
/// </summary>
internal static class KernelSupportCheck
{
    public static void Run(HostCheckContext c)
    {
        Check(c, KernelFeature.Ipip, HostFinding.Ipip, c.Plan?.Devices.Any(d => d.Kind == TunnelKind.IPIP && d.Needed),
            "load the ipip module (modprobe ipip; persist it in /etc/modules-load.d/), or use a kernel built with CONFIG_NET_IPIP");
        Check(c, KernelFeature.Vxlan, HostFinding.Vxlan, c.Plan?.Devices.Any(d => d.Kind == TunnelKind.VXLAN && d.Needed),
            "load the vxlan module (modprobe vxlan), or use a kernel built with CONFIG_VXLAN");
        Check(c, KernelFeature.Nftables, HostFinding.Nftables, c.Plan?.Nat.Any(n => n.Masquerades),
            "install nftables (the nft tool) and load nf_tables (modprobe nf_tables; kernel CONFIG_NF_TABLES)");
    }

    private static void Check(HostCheckContext c, KernelFeature feature, string check, bool? needed, string fix)
    {
        var status = c.Probe(feature);
        if (status.Available) return;
        var (severity, why) = needed switch
        {
            true => (HostFindingSeverity.Error, "the route plan needs it"),
            false => (HostFindingSeverity.Information, "the route plan does not need it"),
            _ => (HostFindingSeverity.Warning, "pools with this mode cannot work on this host"),
        };
        c.Add(severity, check, $"{status.Reason}; {why}.", fix);
    }
}
