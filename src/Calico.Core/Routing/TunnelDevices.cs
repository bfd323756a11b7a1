using Calico.Net;

namespace Calico.Routing;

/// <summary>The tunnel devices a node needs, as felix's dataplane sets them up.</summary>
internal static class TunnelDevices
{
    public static IReadOnlyList<TunnelDevicePlan> Plan(LocalNode local, PoolIndex pools) =>
        [IPIP(local, pools), VXLAN(local, pools, 4), VXLAN(local, pools, 6)];

    /// <summary>tunl0: int_dataplane.go:1395-1430; ipip_mgr.go:197-215; route_mgr.go:588-689.</summary>
    private static TunnelDevicePlan IPIP(LocalNode local, PoolIndex pools)
    {
        var e = local.Encapsulation;
        var explicitSetting = local.Settings.IPIPEnabled;
        if (!e.IPIPEnabled)
        {
            return new TunnelDevicePlan
            {
                Name = TunnelDevicePlan.IPIPDevice,
                Kind = TunnelKind.IPIP,
                Family = 4,
                Action = explicitSetting is null ? TunnelDeviceAction.RemoveAddresses : TunnelDeviceAction.LeaveAlone,
                Reason = explicitSetting is null
                    ? "no pool has an IPIP mode, so IPIP is off and felix deletes tunl0's addresses (int_dataplane.go:1424-1429)"
                    : "IPIP is off by FelixConfiguration ipipEnabled: false; felix leaves tunl0 as it is",
            };
        }
        var address = local.Facts?.IPIPTunnelAddress;
        return new TunnelDevicePlan
        {
            Name = TunnelDevicePlan.IPIPDevice,
            Kind = TunnelKind.IPIP,
            Family = 4,
            Action = TunnelDeviceAction.Configure,
            Address = address is null ? null : new IPPrefix(address, 32),
            Mtu = e.IPIPMtu,
            Reason = explicitSetting is true
                ? "IPIP is on by FelixConfiguration ipipEnabled: true"
                : $"IPIP is on because {Names(pools.Effective.Where(p => p.CountsAsIPIP))} {Has(pools.Effective.Count(p => p.CountsAsIPIP))} an IPIP mode (disabled pools count, encapsulation_resolver.go:168-183,269-275)",
            Problem = address is null
                ? "this node has no spec.bgp.ipv4IPIPTunnelAddr, and felix does not configure tunl0 without one (ipip_mgr.go:210-213)"
                : null,
        };
    }

    /// <summary>vxlan.calico and vxlan-v6.calico: int_dataplane.go:890-924,1498-1544; vxlan_mgr.go:308-347.</summary>
    private static TunnelDevicePlan VXLAN(LocalNode local, PoolIndex pools, int family)
    {
        var e = local.Encapsulation;
        var name = family == 6 ? TunnelDevicePlan.VXLANDeviceV6 : TunnelDevicePlan.VXLANDevice;
        var plan = new TunnelDevicePlan
        {
            Name = name,
            Kind = TunnelKind.VXLAN,
            Family = family,
            Action = TunnelDeviceAction.LeaveAlone,
            Reason = "IPv6 support is off (ipv6Support: false); felix leaves the IPv6 VXLAN device alone",
        };
        if (family == 6 && !e.IPv6Support) return plan;
        var vxlanPools = pools.Effective.Where(p => p.CountsAsVXLAN && p.Family == family).ToList();
        if (!e.VXLANRoutes(family))
        {
            return plan with
            {
                Action = TunnelDeviceAction.Delete,
                Reason = family == 4 && local.Settings.VXLANEnabled is false
                    ? "VXLAN is off by FelixConfiguration vxlanEnabled: false, so felix deletes vxlan.calico"
                    : $"no IPv{family} pool has a VXLAN mode, so felix deletes {name}",
            };
        }
        var vtep = local.Facts?.VtepFor(family);
        string? problem = null;
        if (vtep is null)
        {
            problem = family == 6
                ? "this node has no IPv6 VTEP: it needs spec.bgp.ipv6Address and spec.ipv6VXLANTunnelAddr (vxlan_mgr.go:308-324)"
                : "this node has no VTEP: it needs spec.bgp.ipv4Address and spec.ipv4VXLANTunnelAddr (vxlan_mgr.go:308-324)";
        }
        else if (!vtep.MacIsValid)
        {
            problem = $"the node's VXLAN MAC '{vtep.Mac}' is not a 6-byte MAC (vxlan_mgr.go:314-317)";
        }
        return plan with
        {
            Action = TunnelDeviceAction.Configure,
            Address = vtep is null ? null : new IPPrefix(vtep.TunnelAddress, family == 6 ? 128 : 32),
            Mtu = e.VXLANMtuFor(family),
            Vni = local.Settings.VXLANVNI,
            Port = local.Settings.VXLANPort,
            Mac = vtep?.Mac,
            LocalAddress = vtep?.NodeAddress,
            ParentInterface = local.HostInterfaceName,
            Reason = family == 4 && local.Settings.VXLANEnabled is true
                ? "VXLAN is on by FelixConfiguration vxlanEnabled: true"
                : $"VXLAN is on because {Names(vxlanPools)} {Has(vxlanPools.Count)} a VXLAN mode (encapsulation_resolver.go:233-253)",
            Problem = problem,
        };
    }

    private static string Names(IEnumerable<PoolFacts> pools) =>
        "pool " + string.Join(", ", pools.Select(p => p.Name).Order(StringComparer.Ordinal));

    private static string Has(int count) => count == 1 ? "has" : "have";
}
