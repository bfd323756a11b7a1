using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// Calico's nftables table per family against the plan's NAT sets: present while some pool has natOutgoing,
/// replaced as a whole, in one transaction, only when nft lists it differently; absent otherwise. Other tables are
/// never read or named.
/// </summary>
internal static class NatDiff
{
    public static void Diff(DiffContext c)
    {
        if (c.Kernel.NftablesProblem is { } problem) c.Warn($"nftables: Calico's tables could not be read: {problem}");
        foreach (var nat in c.Plan.Nat)
        {
            var table = NatTable.For(nat.Family);
            c.Kernel.NftablesTables.TryGetValue(table, out var listing);
            var target = table.ToString();
            if (!nat.Masquerades)
            {
                if (listing is null) continue;
                c.Add(new DataplaneChange(ChangeKind.Delete, DataplaneObject.NftablesTable, target, listing, null)
                {
                    Reason = $"no IPv{nat.Family} pool has natOutgoing",
                    Nftables = NftablesScript.DeleteTable(table),
                });
                continue;
            }
            var body = NatTable.Body(nat);
            var wanted = NatTable.Listing(table, body);
            if (listing is not null && NatTable.SameListing(listing, wanted)) continue;
            var reason = $"natOutgoing: masquerade traffic from {nat.MasqueradeSetName} to anything outside {nat.AllPoolsSetName} ({nat})";
            c.Add(new DataplaneChange(listing is null ? ChangeKind.Add : ChangeKind.Change, DataplaneObject.NftablesTable, target, listing, wanted)
            {
                Reason = reason,
                Nftables = NftablesScript.ReplaceTable(table, body),
            });
        }
    }
}
