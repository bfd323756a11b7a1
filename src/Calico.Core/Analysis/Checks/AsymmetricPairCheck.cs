namespace Calico.Analysis.Checks;

/// <summary>
/// Under CrossSubnet each node decides by its own prefix alone (l3_route_resolver.go:900-919), so two nodes whose
/// prefixes disagree — one holds the other's address, the other does not — send to each other differently: one
/// direction unencapsulated, the other tunnelled. A /32 node makes such a pair with every peer on its subnet.
/// </summary>
internal static class AsymmetricPairCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        foreach (var family in new[] { 4, 6 })
        {
            if (!context.AnyCrossSubnet(family)) continue;
            var nodes = context.Nodes.Where(n => n.Facts.Address(family) is not null).ToList();
            for (var i = 0; i < nodes.Count; i++)
            {
                for (var j = i + 1; j < nodes.Count; j++)
                {
                    var (a, b) = (nodes[i], nodes[j]);
                    var ipA = a.Facts.Address(family)!;
                    var ipB = b.Facts.Address(family)!;
                    var aHoldsB = ipA.Subnet.Contains(ipB.Key);
                    var bHoldsA = ipB.Subnet.Contains(ipA.Key);
                    if (aHoldsB == bHoldsA) continue;
                    var (direct, tunnelling) = aHoldsB ? (a, b) : (b, a);
                    var (directIP, tunnellingIP) = aHoldsB ? (ipA, ipB) : (ipB, ipA);
                    yield return new NetworkFinding(Severity.Warning, NetworkCheck.AsymmetricPair, $"{a.Name} <-> {b.Name}",
                        $"{direct.Name} ({directIP.Text}) counts {tunnelling.Name} ({tunnellingIP.Text}) as same-subnet and sends to it unencapsulated, but {tunnelling.Name}'s prefix does not hold {direct.Name}'s address, so {tunnelling.Name} tunnels back: traffic between them takes a different path each way, which reverse-path filtering on the hosts or the fabric drops.",
                        $"Store both addresses with the prefix length of the subnet they are really on (Set-CalicoNode -Name <node> {(family == 4 ? "-IPv4Address" : "-IPv6Address")} <address>/<prefix length>).");
                }
            }
        }
    }
}
