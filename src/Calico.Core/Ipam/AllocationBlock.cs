using System.Net;
using System.Numerics;
using Calico.Net;

namespace Calico.Ipam;

/// <summary>
/// An IPAM block exactly as Calico stores it under /calico/ipam/v2/assignment/...: one slot per address
/// (null = free, else an index into <see cref="Attributes"/>), and the free ordinals in the order IPAM hands them out.
/// </summary>
public sealed partial class AllocationBlock
{
    public const string HostAffinityPrefix = "host:";
    public const string VirtualAffinityPrefix = "virtual:";

    public IPPrefix Cidr { get; set; }
    /// <summary>"host:&lt;node&gt;" (or "virtual:…"), or null when no node owns the block.</summary>
    public string? Affinity { get; set; }
    public DateTimeOffset? AffinityClaimTime { get; set; }
    public List<int?>? Allocations { get; set; }
    public List<int>? Unallocated { get; set; }
    public List<AllocationAttribute>? Attributes { get; set; }
    public ulong SequenceNumber { get; set; }
    public Dictionary<string, ulong>? SequenceNumberForAllocation { get; set; }
    public bool Deleted { get; set; }
    /// <summary>Deprecated by Calico in favour of <see cref="Affinity"/>; kept so old blocks round-trip.</summary>
    public string? HostAffinity { get; set; }

    /// <summary>The node this block is affine to, or null.</summary>
    public string? Host =>
        Affinity is null ? null
        : Affinity.StartsWith(HostAffinityPrefix, StringComparison.Ordinal) ? Affinity[HostAffinityPrefix.Length..]
        : Affinity.StartsWith(VirtualAffinityPrefix, StringComparison.Ordinal) ? Affinity[VirtualAffinityPrefix.Length..]
        : null;

    public int Size => 1 << (Cidr.MaxPrefixLength - Cidr.PrefixLength);

    /// <summary>A new, empty block as Calico's newBlock makes it (no reservations: Linux reserves nothing).</summary>
    public static AllocationBlock Create(IPPrefix cidr, string? host, DateTimeOffset now)
    {
        var block = new AllocationBlock
        {
            Cidr = cidr.Network,
            Affinity = host is null ? null : HostAffinityPrefix + host,
            AffinityClaimTime = host is null ? null : now,
            SequenceNumberForAllocation = new Dictionary<string, ulong>(),
            // Calico seeds the sequence with the wall clock so a recreated block never reuses sequence numbers.
            SequenceNumber = (ulong)((now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100),
        };
        var size = block.Size;
        block.Allocations = new List<int?>(new int?[size]);
        block.Unallocated = Enumerable.Range(0, size).ToList();
        return block;
    }

    public IPAddress OrdinalToAddress(int ordinal)
    {
        var bytes = Cidr.Address.GetAddressBytes();
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true) + ordinal;
        var result = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[bytes.Length];
        Array.Copy(result, 0, padded, padded.Length - result.Length, result.Length);
        return new IPAddress(padded);
    }

    /// <summary>The address's position in the block, or -1 when it lies outside.</summary>
    public int AddressToOrdinal(IPAddress address)
    {
        if (!Cidr.Contains(address)) return -1;
        var a = new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var b = new BigInteger(Cidr.Address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        return (int)(a - b);
    }

    public AllocationAttribute? AttributeOf(int ordinal)
    {
        if (Allocations is null || ordinal < 0 || ordinal >= Allocations.Count) return null;
        var index = Allocations[ordinal];
        return index is { } i && Attributes is not null && i >= 0 && i < Attributes.Count ? Attributes[i] : null;
    }

    public AllocationBlock Clone() => new()
    {
        Cidr = Cidr,
        Affinity = Affinity,
        AffinityClaimTime = AffinityClaimTime,
        Allocations = Allocations is null ? null : new List<int?>(Allocations),
        Unallocated = Unallocated is null ? null : new List<int>(Unallocated),
        Attributes = Attributes?.Select(a => a.Clone()).ToList(),
        SequenceNumber = SequenceNumber,
        SequenceNumberForAllocation = SequenceNumberForAllocation is null ? null : new Dictionary<string, ulong>(SequenceNumberForAllocation),
        Deleted = Deleted,
        HostAffinity = HostAffinity,
    };
}

/// <summary>Who an allocation belongs to: its handle and free-form attributes (node, type, pod, ...).</summary>
public sealed class AllocationAttribute
{
    public const string NodeKey = "node";
    public const string TypeKey = "type";
    public const string TypeIPIP = "ipipTunnelAddress";
    public const string TypeVXLAN = "vxlanTunnelAddress";
    public const string TypeVXLANV6 = "vxlanV6TunnelAddress";

    public string? HandleId { get; set; }
    /// <summary>Calico's ActiveOwnerAttrs, stored under the JSON name "secondary".</summary>
    public Dictionary<string, string>? Secondary { get; set; }
    public Dictionary<string, string>? AlternateOwnerAttrs { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }

    public string? Node => Secondary is not null && Secondary.TryGetValue(NodeKey, out var n) ? n : null;

    public AllocationAttribute Clone() => new()
    {
        HandleId = HandleId,
        Secondary = Secondary is null ? null : new Dictionary<string, string>(Secondary),
        AlternateOwnerAttrs = AlternateOwnerAttrs is null ? null : new Dictionary<string, string>(AlternateOwnerAttrs),
        ReleasedAt = ReleasedAt,
    };
}

/// <summary>A node's claim on a block, stored under /calico/ipam/v2/host/&lt;node&gt;/ipv4/block/&lt;cidr&gt;.</summary>
public sealed record BlockAffinity(string State, bool Deleted = false)
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string PendingDeletion = "pendingDeletion";
}

/// <summary>How many addresses a handle holds in each block, by block CIDR.</summary>
public sealed class IPAMHandle
{
    public Dictionary<string, int> Block { get; set; } = new(StringComparer.Ordinal);
    public bool Deleted { get; set; }
}
