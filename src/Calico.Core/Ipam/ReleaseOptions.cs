using System.Net;

namespace Calico.Ipam;

/// <summary>
/// One address to release (libcalico-go's ReleaseOptions). A handle or sequence number, when given, must match the
/// allocation, so a release based on stale knowledge cannot free an address someone else has since been given.
/// </summary>
public sealed record ReleaseOptions(IPAddress Address, string? Handle = null, ulong? SequenceNumber = null);

/// <summary>What a release did: the addresses freed and those that were not assigned to begin with.</summary>
public sealed record IpamReleaseResult(IReadOnlyList<IPAddress> Released, IReadOnlyList<IPAddress> NotAllocated);
