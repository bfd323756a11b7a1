using Calico.Net;

namespace Calico.Routing;

/// <summary>
/// The outgoing-NAT sets of one address family, as felix's masquerade manager builds them
/// (felix/dataplane/linux/masq_mgr.go:104-145) and the rule that uses them (felix/rules/nat.go:55-116):
/// traffic from <see cref="MasqueradePools"/> to anything outside <see cref="AllPools"/> is masqueraded.
/// Disabled pools count in both sets; LoadBalancer-only pools are left out of <see cref="AllPools"/> only.
/// </summary>
public sealed record NatSets
{
    /// <summary>The chain holding the masquerade rule (felix/rules/rule_defs.go:59).</summary>
    public const string ChainName = "cali-nat-outgoing";

    public required int Family { get; init; }
    /// <summary>cali40network-ip-pools / cali60network-ip-pools: the ID has been network-ip-pools since v3.31 (rule_defs.go:71).</summary>
    public required string AllPoolsSetName { get; init; }
    /// <summary>The name up to v3.30 (all-ipam-pools); a dataplane upgrading a host may find and remove it.</summary>
    public required string LegacyAllPoolsSetName { get; init; }
    public required IReadOnlyList<IPPrefix> AllPools { get; init; }
    /// <summary>cali40masq-ipam-pools / cali60masq-ipam-pools (rule_defs.go:72).</summary>
    public required string MasqueradeSetName { get; init; }
    public required IReadOnlyList<IPPrefix> MasqueradePools { get; init; }

    /// <summary>The chain has its MASQUERADE rule only while some pool has natOutgoing (masq_mgr.go:157; nat.go:86).</summary>
    public bool Masquerades => MasqueradePools.Count > 0;

    public bool Equals(NatSets? other) =>
        other is not null && Family == other.Family && AllPoolsSetName == other.AllPoolsSetName
        && MasqueradeSetName == other.MasqueradeSetName && LegacyAllPoolsSetName == other.LegacyAllPoolsSetName
        && AllPools.SequenceEqual(other.AllPools) && MasqueradePools.SequenceEqual(other.MasqueradePools);

    public override int GetHashCode() => HashCode.Combine(Family, AllPools.Count, MasqueradePools.Count);

    public override string ToString() =>
        $"{MasqueradeSetName} [{string.Join(", ", MasqueradePools)}] → not {AllPoolsSetName} [{string.Join(", ", AllPools)}]";
}
