using System.Net;
using Calico.Resources;

namespace Calico.Ipam;

/// <summary>A request for one given address (libcalico-go's AssignIPArgs).</summary>
public sealed record AssignIPArgs
{
    public required IPAddress Address { get; init; }
    /// <summary>The node the address is for; a missing block is claimed with affinity to it.</summary>
    public required string Host { get; init; }
    public string? HandleId { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    /// <summary>When set, the address's pool must allow this use; null skips the check, as in Calico.</summary>
    public IPPoolAllowedUse? IntendedUse { get; init; }
}
