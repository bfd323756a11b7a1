namespace Calico.Routing;

/// <summary>What the plan says about nodes beyond their routes: the /32 problem, asymmetry, felix's quirks.</summary>
internal static class PlanFindings
{
    /// <summary>Findings about this node, its devices and the pools.</summary>
    public static List<PlanFinding> ForLocal(LocalNode local, ClusterIndex cluster, IReadOnlyList<TunnelDevicePlan> devices)
    {
        var findings = new List<PlanFinding>();
        var name = local.Name;
        var facts = local.Facts;
        var e = local.Encapsulation;
        if (facts is null)
        {
            findings.Add(new PlanFinding(name, FindingSeverity.Warning,
                "this node is not in the datastore: its address and subnet are unknown, so no peer counts as same-subnet and no direct route is planned"));
        }
        else
        {
            foreach (var problem in facts.Problems) findings.Add(new PlanFinding(name, FindingSeverity.Warning, problem));
            if (facts.V4 is null && cluster.Pools.Effective.Any(p => p.Family == 4))
                findings.Add(new PlanFinding(name, FindingSeverity.Warning,
                    "this node has no IPv4 address (spec.bgp.ipv4Address, or an InternalIP/ExternalIP address): it cannot find its host interface"));
            if (facts.V4 is { HasSubnet: false } v4 && e.AnyCrossSubnet)
                findings.Add(new PlanFinding(name, FindingSeverity.Warning,
                    $"this node's ipv4Address is stored as {v4.Text}, with no subnet: CrossSubnet cannot tell same-subnet peers, so it tunnels to every peer (the pre-v2.1 problem); store the address with its prefix"));
            if (facts.IgnoredBareAddressV4 is { } bare && (e.IPIPRoutes || e.NoEncapRoutes(4)))
                findings.Add(new PlanFinding(name, FindingSeverity.Warning,
                    $"this node's ipv4Address '{bare}' has no prefix: felix ignores a bare address as host metadata (dataplane_passthru.go:168-185), so it cannot find its host interface and peers have no address to send IPIP to"));
        }
        foreach (var device in devices)
        {
            if (device.Problem is not null)
                findings.Add(new PlanFinding(name, FindingSeverity.Warning, $"{device.Name}: {device.Problem}"));
        }
        if (e.HostMtuAssumed && (e.IPIPEnabled || e.VXLANEnabled || e.VXLANEnabledV6))
            findings.Add(new PlanFinding(name, FindingSeverity.Information,
                $"the host MTU is not known, so felix's fallback {RouteSettings.FallbackHostMTU} is assumed for tunnel MTUs (int_dataplane.go:1767-1771)"));
        foreach (var (poolName, problem) in cluster.PoolProblems.OrderBy(p => p.Key, StringComparer.Ordinal))
            findings.Add(new PlanFinding(null, FindingSeverity.Warning, $"pool {poolName}: {problem}"));
        foreach (var (hidden, shown) in cluster.Pools.Shadowed.OrderBy(p => p.Hidden.Name, StringComparer.Ordinal))
            findings.Add(new PlanFinding(null, FindingSeverity.Warning,
                $"pool {hidden.Name} has the same CIDR {hidden.Cidr} as pool {shown.Name}: felix keys pools by CIDR, so only {shown.Name} is used"));
        return findings;
    }

    /// <summary>Findings about another node, as seen from this one.</summary>
    public static List<PlanFinding>? ForRemote(NodeFacts remote, LocalNode local)
    {
        List<PlanFinding>? findings = null;
        void Add(FindingSeverity severity, string message) =>
            (findings ??= new List<PlanFinding>()).Add(new PlanFinding(remote.Name, severity, message));

        foreach (var problem in remote.Problems) Add(FindingSeverity.Warning, problem);
        var e = local.Encapsulation;
        if (e.AnyCrossSubnet)
        {
            for (var family = 4; family <= 6; family += 2)
            {
                var mine = local.Address(family);
                var theirs = remote.Address(family);
                if (mine is null || theirs is null) continue;
                var weSeeThem = mine.Subnet.Contains(theirs.Key);
                var theySeeUs = theirs.Subnet.Contains(mine.Key);
                if (weSeeThem == theySeeUs) continue;
                Add(FindingSeverity.Warning, weSeeThem
                    ? $"asymmetric under CrossSubnet: this node ({mine.Text}) counts {remote.Name} ({theirs.Text}) as same-subnet and sends unencapsulated, but {remote.Name}'s prefix does not hold this node's address, so it tunnels back"
                    : $"asymmetric under CrossSubnet: {remote.Name} ({theirs.Text}) counts this node ({mine.Text}) as same-subnet and sends unencapsulated, but this node's prefix does not hold {remote.Name}'s address, so it tunnels back");
            }
        }
        if (remote.IgnoredBareAddressV4 is { } bare && e.IPIPRoutes)
            Add(FindingSeverity.Warning,
                $"ipv4Address '{bare}' has no prefix: felix ignores a bare address as host metadata (dataplane_passthru.go:168-185), so no node programs IPIP routes to {remote.Name}");
        return findings;
    }
}
