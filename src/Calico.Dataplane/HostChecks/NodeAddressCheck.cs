using System.Net.Sockets;
using Calico.Dataplane.Autodetection;
using Calico.Net;

namespace Calico.Dataplane.HostChecks;

/// <summary>
/// The node's stored addresses against the host's real ones: an address no interface holds routes nothing here, and
/// a subnet other than the interface's (the pre-v2.1 /32 above all) makes CrossSubnet decide wrongly
/// (l3_route_resolver.go:898-919). calico-node never repairs a stored address by itself (startup.go:644-657).
/// </summary>
internal static class NodeAddressCheck
{
    public static void Run(HostCheckContext c)
    {
        Check(c, c.Node.IPv4Address, "IPv4", "-IPv4Address", AddressFamily.InterNetwork, required: true);
        Check(c, c.Node.IPv6Address, "IPv6", "-IPv6Address", AddressFamily.InterNetworkV6, required: false);
    }

    private static void Check(HostCheckContext c, string? stored, string family, string parameter, AddressFamily addressFamily, bool required)
    {
        var name = c.Node.Name;
        var field = $"spec.bgp.ipv{(addressFamily == AddressFamily.InterNetwork ? 4 : 6)}Address";
        var candidates = c.Addresses.Where(a => a.Prefix.Address.AddressFamily == addressFamily && GoAddress.WhyNotGlobalUnicast(a.Prefix.Address) is null)
            .Select(a => $"{a.Prefix} on {a.LinkName}").ToList();
        var offer = candidates.Count == 0 ? $"this host has no global {family} address" : $"this host has {string.Join(", ", candidates)}";
        if (string.IsNullOrEmpty(stored))
        {
            if (required)
                c.Add(HostFindingSeverity.Warning, HostFinding.NodeAddress,
                    $"node {name} has no {field}: other nodes cannot route to its workloads.",
                    $"Set-CalicoNode -Name {name} {parameter} <address/prefix> ({offer})");
            return;
        }
        if (!IPPrefix.TryParseAddressOrPrefix(stored, out var prefix, out var hadPrefix))
        {
            c.Add(HostFindingSeverity.Error, HostFinding.NodeAddress, $"node {name} {field}: value \"{stored}\": not an address or CIDR.",
                $"Set-CalicoNode -Name {name} {parameter} <address/prefix> ({offer})");
            return;
        }
        var held = c.Addresses.FirstOrDefault(a => a.Prefix.Address.Equals(prefix.Address));
        if (held is null)
        {
            c.Add(HostFindingSeverity.Error, HostFinding.NodeAddress,
                $"node {name} {field} is {stored}, but no interface of this host has {prefix.Address}: other nodes send its traffic elsewhere, and VXLAN has no parent device.",
                $"Set-CalicoNode -Name {name} {parameter} <address/prefix> ({offer}); or check that this host is node {name}");
            return;
        }
        var actual = held.Prefix;
        if (hadPrefix && prefix.PrefixLength == actual.PrefixLength) return;
        var what = !hadPrefix || prefix.PrefixLength == prefix.MaxPrefixLength
            ? $"is stored as {stored} without its subnet, while {held.LinkName} has {actual}: felix sees no node in this node's subnet, so CrossSubnet pools encapsulate to every node"
            : $"is stored as {stored}, while {held.LinkName} has {actual}: CrossSubnet pools decide same-subnet by the stored {prefix.Network}";
        c.Add(HostFindingSeverity.Warning, HostFinding.NodeAddress, $"node {name} {field} {what}.",
            $"Set-CalicoNode -Name {name} {parameter} {actual}");
    }
}
