using System.Net;
using Calico.Net;

namespace Calico.Ipam;

/// <summary>An address in use in a block whose host is not the address's node.</summary>
public sealed record BorrowedAddress(IPAddress Address, string? Node);

/// <summary>One IPAM block as Get-CalicoIPAMBlock shows it.</summary>
public sealed record IpamBlockInfo
{
    public required IPPrefix Cidr { get; init; }
    /// <summary>The node the block is affine to; null when unowned.</summary>
    public string? Host { get; init; }
    /// <summary>"host", "virtual" (load balancers) or null.</summary>
    public string? AffinityType { get; init; }
    /// <summary>The pool the block lies in; null for an orphaned block whose pool is gone.</summary>
    public string? Pool { get; init; }
    public int Size { get; init; }
    /// <summary>Addresses not on the free list (cooling-down ones included), as calicoctl ipam show counts them.</summary>
    public int InUse { get; init; }
    public int Free { get; init; }
    /// <summary>Released addresses still cooling down.</summary>
    public int InCooldown { get; init; }
    public int Borrowed => BorrowedAddresses.Count;
    public IReadOnlyList<BorrowedAddress> BorrowedAddresses { get; init; } = [];
    /// <summary>The nodes that borrowed addresses, each once, in address order.</summary>
    public IReadOnlyList<string> BorrowedBy => BorrowedAddresses.Select(b => b.Node ?? "").Distinct().ToList();
    public ulong SequenceNumber { get; init; }
}

/// <summary>One assigned address as Get-CalicoIPAMAddress shows it.</summary>
public sealed record IpamAddressInfo
{
    public required IPAddress Address { get; init; }
    public required IPPrefix Block { get; init; }
    public string? Pool { get; init; }
    public string? Handle { get; init; }
    /// <summary>The node the address was assigned for (its "node" attribute).</summary>
    public string? Node { get; init; }
    /// <summary>
    /// What the address is: the "type" attribute (ipipTunnelAddress, vxlanTunnelAddress, ...), else "pod" for a
    /// workload, "windowsReserved" for a Windows reservation, "releasing" while cooling down, else empty.
    /// </summary>
    public string Type { get; init; } = "";
    /// <summary>The node the block is affine to; differs from <see cref="Node"/> for a borrowed address.</summary>
    public string? BlockHost { get; init; }
    public bool Borrowed { get; init; }
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset? ReleasedAt { get; init; }
    public ulong SequenceNumber { get; init; }
}
