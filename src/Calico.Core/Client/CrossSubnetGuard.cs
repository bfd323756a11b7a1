using Calico.Resources;
using Calico.Selectors;

namespace Calico.Client;

/// <summary>
/// The seed's upgrade warning, enforced: CrossSubnet decides "same subnet" from each node's stored prefix, so a node
/// stored without one (a /32, or no prefix, as nodes created before Calico v2.1 are) silently tunnels everything.
/// A pool may not become CrossSubnet while any node it selects is like that.
/// </summary>
public static class CrossSubnetGuard
{
    /// <summary>The nodes that would break, or none when the change is safe (or not a switch to CrossSubnet).</summary>
    public static IReadOnlyList<Node> NodesWithoutSubnet(IPPool proposed, IPPool? current, IEnumerable<Node> nodes)
    {
        if (!BecomesCrossSubnet(proposed, current)) return Array.Empty<Node>();
        var ipv6 = proposed.Prefix is { IsIPv6: true };
        var selector = Selector.TryParse(proposed.NodeSelector, out var s, out _) ? s! : Selector.All;
        return nodes
            .Where(n => selector.Matches(n.Metadata.Labels))
            .Where(n => ipv6 ? n.IPv6Subnet is null : n.IPv4Subnet is null)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Whether the change switches the pool to CrossSubnet: only then are its nodes worth reading.</summary>
    public static bool BecomesCrossSubnet(IPPool proposed, IPPool? current)
    {
        var ipip = proposed.IPIPMode == IPIPMode.CrossSubnet && current?.IPIPMode != IPIPMode.CrossSubnet;
        var vxlan = proposed.VXLANMode == VXLANMode.CrossSubnet && current?.VXLANMode != VXLANMode.CrossSubnet;
        return ipip || vxlan;
    }
}

/// <summary>A pool change refused because nodes it selects have no subnet; lists them and says how to fix each.</summary>
public sealed class CrossSubnetGuardException : InvalidOperationException
{
    public CrossSubnetGuardException(IPPool pool, IReadOnlyList<Node> nodes) : base(Describe(pool, nodes))
    {
        Pool = pool;
        Nodes = nodes;
    }

    public IPPool Pool { get; }
    public IReadOnlyList<Node> Nodes { get; }

    private static string Describe(IPPool pool, IReadOnlyList<Node> nodes)
    {
        var lines = new List<string>
        {
            $"IPPool {pool.Name} ({pool.Cidr}) cannot become CrossSubnet: {nodes.Count} node(s) it selects have no subnet, "
            + "so they would encapsulate traffic to every node, even on their own subnet (Calico's pre-v2.1 upgrade problem):",
        };
        foreach (var n in nodes)
        {
            var stored = n.IPv4Address is null ? "no IPv4 address" : $"stored as {n.IPv4Address}";
            lines.Add($"  {n.Name}: {stored}");
        }
        lines.Add("Fix each node first: run Register-CalicoNode on it (it detects the address with its prefix), or set it,");
        lines.Add($"  e.g. Set-CalicoNode -Name {nodes[0].Name} -IPv4Address <address>/<prefix length>. Use -Force to go ahead anyway.");
        return string.Join(Environment.NewLine, lines);
    }
}
