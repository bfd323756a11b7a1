using Calico.Net;
using Calico.Routing;

namespace Calico.Analysis;

/// <summary>
/// Picks routes by destination. An address picks, per node, the one route the kernel would use for it: the most
/// specific destination that holds it. A CIDR picks every route whose destination overlaps it.
/// </summary>
public sealed class DestinationFilter
{
    private DestinationFilter(IPPrefix prefix, bool isAddress)
    {
        Prefix = prefix;
        IsAddress = isAddress;
    }

    public IPPrefix Prefix { get; }

    /// <summary>True when given as a plain address (no prefix length).</summary>
    public bool IsAddress { get; }

    /// <summary>Reads "192.168.3.5" or "192.168.3.0/26"; host bits of a CIDR are ignored.</summary>
    public static bool TryParse(string? text, out DestinationFilter? filter)
    {
        filter = null;
        if (!IPPrefix.TryParseAddressOrPrefix(text, out var prefix, out var hadPrefix)) return false;
        filter = new DestinationFilter(hadPrefix ? prefix.Network : prefix, !hadPrefix);
        return true;
    }

    /// <summary>The routes of one node's plan that the filter picks.</summary>
    public IEnumerable<PlannedRoute> Select(IEnumerable<PlannedRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        if (!IsAddress) return routes.Where(r => r.Destination.Overlaps(Prefix));
        var best = routes.Where(r => r.Destination.Contains(Prefix.Address)).MaxBy(r => r.Destination.PrefixLength);
        return best is null ? [] : [best];
    }

    public override string ToString() => IsAddress ? Prefix.Address.ToString() : Prefix.ToString();
}
