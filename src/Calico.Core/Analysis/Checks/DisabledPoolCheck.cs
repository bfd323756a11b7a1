namespace Calico.Analysis.Checks;

/// <summary>
/// Disabled pools are disabled for IPAM only: felix still routes their blocks and applies their NAT
/// (felix/calc/dataplane_passthru.go:61-71), and their modes still turn IP-in-IP or VXLAN on for every node
/// (encapsulation_resolver.go:168-183).
/// </summary>
internal static class DisabledPoolCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        foreach (var pool in context.Pools.Where(p => p.Pool.Disabled))
        {
            var blocks = context.Snapshot.Blocks.Where(b => pool.Facts.Cidr.Contains(b.Cidr) && b.InUseCount > 0).ToList();
            if (blocks.Count > 0)
            {
                var addresses = blocks.Sum(b => b.InUseCount);
                yield return new NetworkFinding(Severity.Warning, NetworkCheck.DisabledPool, pool.Name,
                    $"pool {pool.Name} is disabled, but {blocks.Count} of its blocks still hold {addresses} addresses in use: felix keeps routing to them by the pool's mode ({pool.Facts.ModeLabel}){(pool.Facts.NatOutgoing ? " and masquerading their traffic" : "")}. Disabling a pool stops new addresses only.",
                    $"Move those workloads to another pool (Get-CalicoIPAMAddress -Address {pool.Facts.Cidr} lists them), then Remove-CalicoIPPool -Name {pool.Name}.");
                continue;
            }
            var turnsOn = TurnsOn(context, pool);
            if (turnsOn is not null)
            {
                yield return new NetworkFinding(Severity.Information, NetworkCheck.DisabledPool, pool.Name,
                    $"pool {pool.Name} is disabled and holds no addresses, but its mode ({pool.Facts.ModeLabel}) alone keeps {turnsOn} on for every node: felix counts disabled pools too.",
                    $"Remove-CalicoIPPool -Name {pool.Name}, or set its mode to Never, if {turnsOn} is no longer wanted.");
            }
        }
    }

    /// <summary>The encapsulation only this disabled pool turns on, or null.</summary>
    private static string? TurnsOn(CheckContext context, CheckedPool pool)
    {
        var others = context.EffectivePools.Where(p => p.Name != pool.Name).ToList();
        if (pool.Facts.CountsAsIPIP && !others.Any(p => p.Facts.CountsAsIPIP)) return "IP-in-IP";
        if (pool.Facts.CountsAsVXLAN && !others.Any(p => p.Facts.CountsAsVXLAN && p.Facts.Family == pool.Facts.Family)) return "VXLAN";
        return null;
    }
}
