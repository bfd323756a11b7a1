using Calico.Net;

namespace Calico.Analysis.Checks;

/// <summary>
/// Host networks that overlap a pool: workloads would be given addresses the hosts' network already uses, and the
/// routes felix programs for the pool's blocks would shadow the hosts' own subnet route. One finding per subnet and
/// pool, naming the nodes on that subnet.
/// </summary>
internal static class SubnetOverlapCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        var bySubnet = new SortedDictionary<IPPrefix, List<CheckedNode>>();
        foreach (var node in context.Nodes)
        {
            foreach (var family in new[] { 4, 6 })
            {
                if (node.Facts.Address(family) is not { } address) continue;
                var subnet = address.Subnet.ToPrefix();
                if (!bySubnet.TryGetValue(subnet, out var list)) bySubnet[subnet] = list = new List<CheckedNode>();
                list.Add(node);
            }
        }
        foreach (var (subnet, nodes) in bySubnet)
        {
            foreach (var pool in context.Pools)
            {
                var cidr = pool.Facts.Cidr;
                if (!cidr.Overlaps(subnet)) continue;
                var what = subnet.PrefixLength == subnet.MaxPrefixLength ? $"address {subnet.Address}" : $"subnet {subnet}";
                var names = string.Join(", ", nodes.Take(10).Select(n => n.Name)) + (nodes.Count > 10 ? $" and {nodes.Count - 10} more" : "");
                yield return new NetworkFinding(Severity.Error, NetworkCheck.SubnetOverlap, $"{subnet} / {pool.Name}",
                    $"the host {what} (of {names}) overlaps pool {pool.Name} ({cidr}): workloads can be given addresses the hosts' network uses, and the routes to the pool's blocks take traffic meant for the hosts.",
                    $"Move the workloads to a pool outside the host networks (New-CalicoIPPool, then disable and remove {pool.Name}), or correct the nodes' addresses if they are wrong.");
            }
        }
    }
}
