using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Routing;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// The permanent neighbour and FDB entries on the VXLAN devices, one of each per remote VTEP, as felix's VXLAN FDB
/// keeps them (felix/vxlanfdb/vxlan_fdb.go:181-420). Only permanent entries with an address on Calico's own VXLAN
/// devices count; transient ones the kernel makes, and every entry on any other device, are left alone.
/// </summary>
internal static class VxlanEntryDiff
{
    public static void Diff(DiffContext c)
    {
        foreach (var device in c.Plan.Devices.Where(d => d.Kind == TunnelKind.VXLAN && d.Action == TunnelDeviceAction.Configure))
        {
            if (!c.WillExist(device.Name)) continue;
            Neighbours(c, device);
            ForwardingEntries(c, device);
        }
    }

    private static void Neighbours(DiffContext c, TunnelDevicePlan device)
    {
        var name = device.Name;
        var fresh = c.StartsEmpty(name);
        var desired = c.Plan.Neighbours.Where(n => n.Device == name).ToDictionary(n => n.Address);
        var actual = c.Kernel.Neighbours[name]
            .Where(n => n.LinkLayerAddress is not null && n.State.HasFlag(NeighbourState.Permanent))
            .ToDictionary(n => n.Address);
        foreach (var (address, present) in actual)
        {
            if (desired.ContainsKey(address)) continue;
            c.Add(new DataplaneChange(ChangeKind.Delete, DataplaneObject.Neighbour, $"{address} dev {name}", Text(address, name, present.LinkLayerAddress!), null)
            {
                Reason = "no remote VTEP has this tunnel address",
                CausedBy = fresh ? c.VanishReason(name) : null,
                Batch = fresh ? null : b => b.DeleteNeighbour(name, address),
            });
        }
        foreach (var (address, wanted) in desired)
        {
            var mac = wanted.Mac.ToLowerInvariant();
            actual.TryGetValue(address, out var present);
            var same = present is not null && string.Equals(present.LinkLayerAddress, mac, StringComparison.OrdinalIgnoreCase);
            if (same && !fresh) continue;
            var reason = $"the VTEP of node {wanted.Node}";
            var batch = (Action<KernelBatch>)(b => b.ReplaceNeighbour(name, address, mac));
            var target = $"{address} dev {name}";
            c.Add(present is null || fresh
                ? new DataplaneChange(ChangeKind.Add, DataplaneObject.Neighbour, target, null, Text(address, name, mac))
                {
                    Reason = reason, Batch = batch, CausedBy = same ? c.VanishReason(name) : null,
                }
                : new DataplaneChange(ChangeKind.Change, DataplaneObject.Neighbour, target, Text(address, name, present.LinkLayerAddress!), Text(address, name, mac))
                {
                    Reason = reason, Batch = batch,
                });
        }
    }

    private static void ForwardingEntries(DiffContext c, TunnelDevicePlan device)
    {
        var name = device.Name;
        var fresh = c.StartsEmpty(name);
        var desired = c.Plan.ForwardingEntries.Where(f => f.Device == name).ToDictionary(f => f.Mac.ToLowerInvariant());
        // A MAC may have several remotes (`bridge fdb append`); Calico gives each MAC exactly one.
        var actual = c.Kernel.FdbEntries[name]
            .Where(f => f.IsPermanent && f.Destination is not null)
            .GroupBy(f => f.MacAddress.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.Select(f => f.Destination!).ToList());
        foreach (var (mac, destinations) in actual)
        {
            var keep = desired.TryGetValue(mac, out var wanted) ? wanted.Destination : null;
            // The first remote of a MAC that stays is changed in place below; the others go.
            var stale = destinations.Where(d => !d.Equals(keep)).Skip(!fresh && keep is not null && !destinations.Contains(keep) ? 1 : 0);
            foreach (var destination in stale)
            {
                c.Add(new DataplaneChange(ChangeKind.Delete, DataplaneObject.FdbEntry, $"{mac} dev {name}", Text(mac, name, destination), null)
                {
                    Reason = keep is null ? "no remote VTEP has this MAC" : $"the VTEP with this MAC is at {keep}",
                    CausedBy = fresh ? c.VanishReason(name) : null,
                    Batch = fresh ? null : b => b.DeleteFdbEntry(name, mac, destination),
                });
            }
        }
        foreach (var (mac, wanted) in desired)
        {
            var destinations = actual.TryGetValue(mac, out var found) ? found : [];
            var present = destinations.Contains(wanted.Destination);
            if (present && !fresh) continue;
            var reason = $"the VTEP of node {wanted.Node}";
            var target = $"{mac} dev {name}";
            var destination = wanted.Destination;
            c.Add(destinations.Count == 0 || fresh
                ? new DataplaneChange(ChangeKind.Add, DataplaneObject.FdbEntry, target, null, Text(mac, name, destination))
                {
                    Reason = reason,
                    CausedBy = present ? c.VanishReason(name) : null,
                    Batch = b => b.AppendFdbEntry(name, mac, destination),
                }
                : new DataplaneChange(ChangeKind.Change, DataplaneObject.FdbEntry, target, Text(mac, name, destinations[0]), Text(mac, name, destination))
                {
                    Reason = reason,
                    Batch = b => b.ReplaceFdbEntry(name, mac, destination),
                });
        }
    }

    private static string Text(IPAddress address, string device, string mac) => $"{address} dev {device} lladdr {mac.ToLowerInvariant()} nud permanent";

    private static string Text(string mac, string device, IPAddress destination) => $"{mac} dev {device} dst {destination} self permanent";
}
