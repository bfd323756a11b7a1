using System.Net;
using Calico.Net;
using Calico.Resources;

namespace Calico.Ipam;

/// <summary>A request for addresses of one family for one host (libcalico-go's AutoAssignArgs, one family at a time).</summary>
public sealed record AutoAssignArgs
{
    /// <summary>The node the addresses are for: blocks are claimed with affinity "host:&lt;Host&gt;".</summary>
    public required string Host { get; init; }
    public int Count { get; init; } = 1;
    /// <summary>4 or 6.</summary>
    public int Family { get; init; } = 4;
    /// <summary>The handle the addresses are counted under (e.g. a pod's container id); null for none.</summary>
    public string? HandleId { get; init; }
    /// <summary>Free-form attributes stored with the addresses (Calico's "secondary": node, pod, namespace, type, ...).</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    /// <summary>What the addresses are for; pools whose allowedUses lack it are skipped.</summary>
    public IPPoolAllowedUse IntendedUse { get; init; } = IPPoolAllowedUse.Workload;
    /// <summary>
    /// Pools to draw from, by CIDR. Empty means every enabled pool whose nodeSelector matches the node and whose
    /// assignmentMode is Automatic; named pools are used regardless of selectors and assignment mode.
    /// </summary>
    public IReadOnlyList<IPPrefix> Pools { get; init; } = Array.Empty<IPPrefix>();
    /// <summary>Labels of the workload's namespace, for pools with a namespaceSelector; null matches as no labels.</summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels { get; init; }
    /// <summary>A per-request block limit; the stricter of this and the config's applies. 0 = none.</summary>
    public int MaxBlocksPerHost { get; init; }
}

/// <summary>
/// What an auto-assign handed out. Fewer addresses than requested is not an exception: the ones handed out stay
/// assigned (release them by handle to undo) and <see cref="Messages"/> says why the rest could not be.
/// </summary>
public sealed record IpamAssignments(IReadOnlyList<IPAddress> Addresses, int Requested, int Family, IReadOnlyList<string> Messages)
{
    public bool IsComplete => Addresses.Count >= Requested;

    /// <summary>True when the host hit its block limit before the request was met.</summary>
    public bool BlockLimitReached { get; init; }

    /// <summary>Calico's PartialFulfillmentError: "Assigned 1 out of 2 requested IPv4 addresses; &lt;messages&gt;".</summary>
    public string? PartialFulfillmentMessage =>
        IsComplete ? null
        : $"Assigned {Addresses.Count} out of {Requested} requested IPv{Family} addresses" + string.Concat(Messages.Select(m => "; " + m));

    /// <exception cref="IpamException">Fewer addresses than requested were assigned.</exception>
    public IpamAssignments ThrowIfIncomplete() =>
        IsComplete ? this
        : throw new IpamException(BlockLimitReached ? IpamErrorReason.BlockLimitReached : IpamErrorReason.NoQualifiedPool, PartialFulfillmentMessage!);
}
