using System.Text.RegularExpressions;
using Calico.Dataplane.Reconcile;
using Calico.Routing;

namespace Calico.Dataplane.HostChecks;

/// <summary>
/// Tunnel MTUs against the host: a tunnel packet is the inner packet plus 20 bytes (IPIP), 50 (VXLAN) or 70 (VXLAN
/// over IPv6), and must fit the interface it leaves by (int_dataplane.go:484-489). Checks felix's host MTU detection,
/// the configured MTUs, the planned ones and the tunnel devices' actual MTUs.
/// </summary>
internal static class MtuCheck
{
    private static readonly (string Device, string Setting, int Overhead)[] Tunnels =
    [
        (TunnelDevicePlan.IPIPDevice, "ipipMTU", 20),
        (TunnelDevicePlan.VXLANDevice, "vxlanMTU", 50),
        (TunnelDevicePlan.VXLANDeviceV6, "vxlanMTUV6", 70),
    ];

    public static void Run(HostCheckContext c)
    {
        var facts = c.Facts;
        var parent = facts.ParentInterface is { } name ? c.Link(name) : null;
        if (facts.HostMtuAssumed)
        {
            c.Add(HostFindingSeverity.Warning, HostFinding.Mtu,
                $"no running interface matches felix's MTU pattern {HostFacts.DefaultMtuInterfacePattern}, so felix assumes a host MTU of {HostFacts.FallbackHostMtu}.",
                $"set FelixConfiguration mtuIfacePattern to match the host's uplink{(parent is null ? "" : $" (e.g. ^{Regex.Escape(parent.Name)}$)")}, or set the tunnel MTUs explicitly");
        }
        else if (parent is not null && !facts.MtuInterfaces.Contains(parent.Name) && parent.Mtu < facts.HostMtu)
        {
            c.Add(HostFindingSeverity.Error, HostFinding.Mtu,
                $"the node's interface {parent.Name} (MTU {parent.Mtu}) does not count for felix's host MTU ({facts.HostMtu}, from {string.Join(", ", facts.MtuInterfaces)}), so tunnel MTUs are derived too large.",
                $"set FelixConfiguration mtuIfacePattern to include {parent.Name}, or set the tunnel MTUs to at most {parent.Mtu} minus the overhead");
        }

        // What tunnel packets really leave by: the node's interface when known, else felix's host MTU.
        var underlay = parent is null ? facts.HostMtu : Math.Min(parent.Mtu, facts.HostMtu);
        var via = parent is null ? $"the host MTU {facts.HostMtu}" : $"{parent.Name}'s MTU {underlay}";
        foreach (var (device, setting, overhead) in Tunnels)
        {
            var limit = underlay - overhead;
            var configured = setting switch { "ipipMTU" => c.Settings.IPIPMTU, "vxlanMTU" => c.Settings.VXLANMTU, _ => c.Settings.VXLANMTUV6 };
            if (configured > limit)
            {
                c.Add(HostFindingSeverity.Error, HostFinding.Mtu,
                    $"FelixConfiguration {setting} is {configured}, more than {via} minus {overhead}: tunnelled packets over {limit} bytes are dropped or fragmented.",
                    $"set {setting} to {limit} or less (or 0 to derive it from the host MTU)");
            }
            var planned = c.Plan?.Devices.FirstOrDefault(d => d.Name == device && d.Needed)?.Mtu;
            if (planned > limit && planned != configured)
            {
                c.Add(HostFindingSeverity.Error, HostFinding.Mtu,
                    $"the route plan gives {device} MTU {planned}, more than {via} minus {overhead}: it was planned with the wrong host MTU.",
                    $"plan with this host's facts (host MTU {facts.HostMtu}) and sync again");
            }
            if (c.Link(device) is { } link && link.Mtu > limit && link.Mtu != planned)
            {
                c.Add(HostFindingSeverity.Error, HostFinding.Mtu,
                    $"{device} has MTU {link.Mtu}, more than {via} minus {overhead} ({limit}).",
                    $"Sync-CalicoDataplane sets it to the planned MTU; or: ip link set dev {device} mtu {limit}");
            }
        }
    }
}
