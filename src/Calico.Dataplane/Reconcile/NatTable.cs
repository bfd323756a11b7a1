using System.Text;
using Calico.Dataplane.Kernel;
using Calico.Net;
using Calico.Routing;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// Calico's outgoing-NAT table as felix's nftables mode builds it (int_dataplane.go:724-731; felix/nftables/table.go,
/// table_layer.go; felix/rules/nat.go:55-116): table calico of the family, base chain nat-POSTROUTING (type nat, hook
/// postrouting, priority srcnat + 10) jumping to nat-cali-nat-outgoing, which masquerades traffic from the masquerade
/// set to anything outside the all-pools set, fully random.
/// </summary>
internal static class NatTable
{
    public const string Name = "calico";
    public const string HookChain = "nat-POSTROUTING";
    public const string OutgoingChain = "nat-" + NatSets.ChainName;

    public static NftablesTable For(int family) => new(family == 6 ? "ip6" : "ip", Name);

    /// <summary>The table's sets and chains, in nft's syntax and in the order and layout `nft list table` prints them.</summary>
    public static string Body(NatSets nat)
    {
        var (type, match) = nat.Family == 6 ? ("ipv6_addr", "ip6") : ("ipv4_addr", "ip");
        var body = new StringBuilder();
        Set(body, nat.MasqueradeSetName, type, nat.MasqueradePools);
        body.Append('\n');
        Set(body, nat.AllPoolsSetName, type, nat.AllPools);
        body.Append('\n')
            .Append("chain ").Append(HookChain).Append(" {\n")
            .Append("\ttype nat hook postrouting priority srcnat + 10; policy accept;\n")
            .Append("\tjump ").Append(OutgoingChain).Append('\n')
            .Append("}\n\n")
            .Append("chain ").Append(OutgoingChain).Append(" {\n")
            .Append('\t').Append(match).Append(" saddr @").Append(nat.MasqueradeSetName)
            .Append(' ').Append(match).Append(" daddr != @").Append(nat.AllPoolsSetName).Append(" masquerade fully-random\n")
            .Append("}\n");
        return body.ToString();
    }

    /// <summary>The whole table as `nft list table` prints it.</summary>
    public static string Listing(NftablesTable table, string body)
    {
        var text = new StringBuilder("table ").Append(table).Append(" {\n");
        foreach (var line in body.TrimEnd('\n').Split('\n')) text.Append(line.Length == 0 ? "" : "\t" + line).Append('\n');
        return text.Append("}\n").ToString();
    }

    /// <summary>Whether two listings say the same, whatever the line wrapping and indentation.</summary>
    public static bool SameListing(string a, string b) => Normalize(a) == Normalize(b);

    private static string Normalize(string listing) =>
        string.Join(' ', listing.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    private static void Set(StringBuilder body, string name, string type, IReadOnlyList<IPPrefix> prefixes)
    {
        body.Append("set ").Append(name).Append(" {\n")
            .Append("\ttype ").Append(type).Append('\n')
            .Append("\tflags interval\n");
        var elements = Elements(prefixes);
        if (elements.Count > 0) body.Append("\telements = { ").Append(string.Join(", ", elements)).Append(" }\n");
        body.Append("}\n");
    }

    /// <summary>
    /// Interval set elements as nft keeps them: sorted by address, a prefix inside another dropped (an interval set
    /// refuses overlaps; pools never overlap, but a set must not fail for it), a host prefix written as an address.
    /// </summary>
    private static List<string> Elements(IReadOnlyList<IPPrefix> prefixes)
    {
        var sorted = prefixes.Select(p => p.Network).Distinct().OrderBy(p => p).ToList();
        var kept = sorted.Where(p => !sorted.Any(q => q != p && q.Contains(p))).ToList();
        return kept.Select(p => p.PrefixLength == p.MaxPrefixLength ? p.Address.ToString() : p.ToString()).ToList();
    }
}
