using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Net;
using Calico.Routing;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// tunl0, vxlan.calico and vxlan-v6.calico against the kernel, as felix keeps them (route_mgr.go:588-748,
/// vxlan_mgr.go:308-400, int_dataplane.go:1395-1430,1498-1544): created when missing, recreated when incompatible,
/// MTU and up state set, exactly one address of the device's family.
/// </summary>
internal static class TunnelDeviceDiff
{
    public static void Diff(DiffContext c)
    {
        foreach (var device in c.Plan.Devices)
        {
            c.Kernel.Links.TryGetValue(device.Name, out var link);
            switch (device.Kind, device.Action)
            {
                case (TunnelKind.IPIP, TunnelDeviceAction.Configure):
                    ConfigureIpip(c, device, link);
                    break;
                case (TunnelKind.IPIP, TunnelDeviceAction.RemoveAddresses):
                    // IPIP implicitly off: felix deletes tunl0's addresses and leaves the device as it is.
                    if (link?.Kind == "ipip") Addresses(c, device, desired: null, device.Reason);
                    break;
                case (TunnelKind.VXLAN, TunnelDeviceAction.Configure):
                    ConfigureVxlan(c, device, link);
                    break;
                case (TunnelKind.VXLAN, TunnelDeviceAction.Delete):
                    DeleteVxlan(c, device, link);
                    break;
            }
        }
    }

    private static void ConfigureIpip(DiffContext c, TunnelDevicePlan device, Link? link)
    {
        var name = device.Name;
        if (link is not null && link.Kind != "ipip")
        {
            c.Warn($"{name}: exists but is {KindText(link)}, not an ipip device; left alone, and nothing is routed through it");
            c.SetFate(name, DeviceFate.Unavailable);
            c.NeedsIpip = true;
            return;
        }
        if (link is null) c.NeedsIpip = true;
        if (device.Problem is not null)
        {
            c.Warn($"{name}: not configured: {device.Problem}");
            if (link is null) c.SetFate(name, DeviceFate.Unavailable);
            return;
        }
        var mtu = device.Mtu;
        if (link is null)
        {
            // The kernel's fallback tunl0 appears when ipip loads; only a kernel that has ipip but did not make one
            // (net.core.fb_tunnels_only_for_init_net) needs it created: an ipip link with no remote, as felix creates it.
            c.Add(new DataplaneChange(ChangeKind.Add, DataplaneObject.TunnelDevice, name, null, $"{name} type ipip{Mtu(mtu)} up")
            {
                Reason = device.Reason,
                CreatesIpipDevice = name,
                Batch = b => b.SetLink(name, new LinkSettings { Mtu = mtu, Up = true }),
            });
            c.SetFate(name, DeviceFate.Created);
        }
        else
        {
            Keep(c, device, link);
        }
        Addresses(c, device, device.Address, device.Reason);
    }

    private static void ConfigureVxlan(DiffContext c, TunnelDevicePlan device, Link? link)
    {
        var name = device.Name;
        string? problem = device.Problem;
        var parent = device.ParentInterface is null ? null : c.Resolve(device.ParentInterface);
        if (problem is null && parent is null)
            problem = $"no interface holds the node's address {device.LocalAddress}, so it has no parent device (vxlan_mgr.go:308-311)";
        else if (problem is null && !c.Kernel.Links.ContainsKey(parent!))
            problem = $"its parent device {parent} does not exist";
        if (problem is not null)
        {
            c.Warn($"{name}: not configured: {problem}");
            if (link is null) c.SetFate(name, DeviceFate.Unavailable);
            return;
        }
        var wanted = new VxlanSettings
        {
            Vni = device.Vni ?? 4096,
            Port = device.Port ?? 4789,
            Local = device.LocalAddress,
            Device = parent,
            Learning = false,
            Mtu = device.Mtu,
            MacAddress = device.Mac?.ToLowerInvariant(),
        };
        var newValue = VxlanText(name, wanted);
        if (link is null)
        {
            c.Add(new DataplaneChange(ChangeKind.Add, DataplaneObject.TunnelDevice, name, null, newValue)
            {
                Reason = device.Reason,
                Batch = b => b.AddVxlan(name, wanted).SetLink(name, new LinkSettings { Up = true }),
            });
            c.SetFate(name, DeviceFate.Created);
        }
        else if (Incompatibility(link, wanted) is { } incompatible)
        {
            // felix deletes and recreates a device whose settings cannot be changed in place (vxlan_mgr.go:351-400; route_mgr.go:626-646).
            c.Add(new DataplaneChange(ChangeKind.Change, DataplaneObject.TunnelDevice, name, LinkText(link), newValue + " (recreated)")
            {
                Reason = $"{incompatible}; the device is recreated",
                Batch = b => b.DeleteLink(name).AddVxlan(name, wanted).SetLink(name, new LinkSettings { Up = true }),
            });
            c.SetFate(name, DeviceFate.Recreated);
        }
        else
        {
            Keep(c, device, link);
        }
        Addresses(c, device, device.Address, device.Reason);
    }

    private static void DeleteVxlan(DiffContext c, TunnelDevicePlan device, Link? link)
    {
        if (link is null) return;
        if (link.Kind != "vxlan")
        {
            c.Warn($"{device.Name}: exists but is {KindText(link)}, not a VXLAN device; left alone");
            return;
        }
        var name = device.Name;
        c.Add(new DataplaneChange(ChangeKind.Delete, DataplaneObject.TunnelDevice, name, LinkText(link), null)
        {
            Reason = device.Reason,
            Batch = b => b.DeleteLink(name),
        });
        c.SetFate(name, DeviceFate.Deleted);
    }

    /// <summary>An existing device that stays: only its MTU and up state may need setting.</summary>
    private static void Keep(DiffContext c, TunnelDevicePlan device, Link link)
    {
        c.SetFate(device.Name, DeviceFate.Kept);
        var mtu = device.Mtu is { } m && m != link.Mtu ? m : (int?)null;
        if (mtu is null && link.IsUp) return;
        var name = device.Name;
        var settings = new LinkSettings { Mtu = mtu, Up = link.IsUp ? null : true };
        c.Add(new DataplaneChange(ChangeKind.Change, DataplaneObject.TunnelDevice, name,
            $"mtu {link.Mtu} {(link.IsUp ? "up" : "down")}", $"mtu {mtu ?? link.Mtu} up")
        {
            Reason = device.Reason,
            Batch = b => b.SetLink(name, settings),
        });
    }

    /// <summary>
    /// Exactly one address of the device's family, the planned one; every other goes, except an IPv6 link-local
    /// address, which the kernel manages (route_mgr.go:690-748).
    /// </summary>
    private static void Addresses(DiffContext c, TunnelDevicePlan device, IPPrefix? desired, string reason)
    {
        var name = device.Name;
        var family = device.Family == 6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var present = false;
        var recreated = c.FateOf(name) == DeviceFate.Recreated;
        var deletes = new List<DataplaneChange>();
        foreach (var address in c.Kernel.Addresses[name])
        {
            var prefix = address.Prefix;
            if (prefix.Address.AddressFamily != family || prefix.Address.IsIPv6LinkLocal) continue;
            if (desired is { } d && prefix == d)
            {
                present = true;
                continue;
            }
            deletes.Add(new DataplaneChange(ChangeKind.Delete, DataplaneObject.Address, name, $"{prefix} dev {name}", null)
            {
                Reason = desired is null ? reason : $"{name} has exactly one address, {desired}",
                CausedBy = recreated ? c.VanishReason(name) : null,
                Batch = recreated ? null : b => b.DeleteAddress(name, prefix),
            });
        }
        // The planned address goes in before the others go out: a device left without an IPv4 address, even for one
        // batch line, has every IPv4 route on it flushed by the kernel, Calico's and anyone else's.
        if (desired is { } wanted && !(present && !c.StartsEmpty(name)))
        {
            c.Add(new DataplaneChange(ChangeKind.Add, DataplaneObject.Address, name, null, $"{wanted} dev {name}")
            {
                Reason = reason,
                CausedBy = present ? c.VanishReason(name) : null,
                Batch = b => b.AddAddress(name, wanted),
            });
        }
        foreach (var delete in deletes) c.Add(delete);
        if (desired is null && family == AddressFamily.InterNetwork && deletes.Count > 0 && !recreated) c.LosesLastIPv4Address(name);
    }

    /// <summary>Why an existing device cannot be kept as the VXLAN device wanted (felix's vxlanLinksIncompat), or null.</summary>
    internal static string? Incompatibility(Link link, VxlanSettings wanted)
    {
        if (link.Kind != "vxlan" || link.Vxlan is not { } v) return $"it is {KindText(link)}, not a VXLAN device";
        if (v.Vni != wanted.Vni) return $"its VNI is {v.Vni}, not {wanted.Vni}";
        if (!string.Equals(v.Device, wanted.Device, StringComparison.Ordinal)) return $"its parent device is {v.Device ?? "none"}, not {wanted.Device}";
        // felix compares the source address only when both are set; a device without one would let the kernel pick
        // any address, so it is recreated here too.
        if (wanted.Local is not null && !wanted.Local.Equals(v.Local)) return $"its local address is {v.Local?.ToString() ?? "none"}, not {wanted.Local}";
        if (v.Port > 0 && v.Port != wanted.Port) return $"its port is {v.Port}, not {wanted.Port}";
        if (wanted.MacAddress is not null && !string.Equals(link.Address, wanted.MacAddress, StringComparison.OrdinalIgnoreCase))
            return $"its MAC is {link.Address ?? "none"}, not {wanted.MacAddress}";
        // Calico programs every FDB entry itself; a learning device would add entries of its own.
        if (v.Learning) return "it learns remote MACs (learning on), and Calico's does not";
        return null;
    }

    private static string KindText(Link link) => link.Kind is null ? "a plain device" : $"a {link.Kind} device";

    private static string Mtu(int? mtu) => mtu is null ? "" : $" mtu {mtu}";

    private static string VxlanText(string name, VxlanSettings s) =>
        $"{name} type vxlan id {s.Vni}{(s.Local is null ? "" : $" local {s.Local}")} dev {s.Device} dstport {s.Port} nolearning"
        + $"{(s.MacAddress is null ? "" : $" address {s.MacAddress}")}{Mtu(s.Mtu)} up";

    private static string LinkText(Link link)
    {
        var state = $"{(link.Address is null ? "" : $" address {link.Address}")} mtu {link.Mtu} {(link.IsUp ? "up" : "down")}";
        if (link.Vxlan is not { } v) return $"{link.Name} type {link.Kind ?? "none"}{state}";
        return $"{link.Name} type vxlan id {v.Vni}{(v.Local is null ? "" : $" local {v.Local}")} dev {v.Device ?? "none"} dstport {v.Port}"
            + $" {(v.Learning ? "learning" : "nolearning")}{state}";
    }
}
