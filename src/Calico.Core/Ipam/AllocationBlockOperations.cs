using System.Globalization;
using System.Net;

namespace Calico.Ipam;

/// <summary>
/// Handing out and taking back addresses inside one block, as libcalico-go's allocationBlock does
/// (lib/ipam/ipam_block.go). The caller writes the block back with a compare-and-swap.
/// </summary>
public sealed partial class AllocationBlock
{
    /// <summary>The handle Calico's Windows nodes reserve block edges under; such addresses never make a block non-empty.</summary>
    public const string WindowsReservedHandle = "windows-reserved-ipam-handle";

    /// <summary>Addresses that can be handed out now.</summary>
    public int FreeCount => Unallocated?.Count ?? 0;

    /// <summary>Calico's "in use": every address not on the free list, cooling-down ones included.</summary>
    public int InUseCount => Size - FreeCount;

    /// <summary>True when nothing but Windows reservations is allocated (Calico's empty()).</summary>
    public bool IsEmpty
    {
        get
        {
            if (Allocations is null) return true;
            foreach (var index in Allocations)
            {
                if (index is not { } i) continue;
                var handle = Attributes![i].HandleId;
                if (handle is null || !string.Equals(handle, WindowsReservedHandle, StringComparison.OrdinalIgnoreCase)) return false;
            }
            return true;
        }
    }

    /// <summary>
    /// Why the block cannot be used safely, or null. A free ordinal that is also allocated would hand one address
    /// out twice, so such a block is refused rather than written back.
    /// </summary>
    public string? FindInconsistency()
    {
        if (Allocations is null) return "it has no allocations array";
        var attributeCount = Attributes?.Count ?? 0;
        for (var o = 0; o < Allocations.Count; o++)
            if (Allocations[o] is { } i && (i < 0 || i >= attributeCount))
                return $"allocation {o} points at attribute {i}, but there are {attributeCount} attributes";
        if (Unallocated is null) return null;
        var seen = new bool[Allocations.Count];
        foreach (var o in Unallocated)
        {
            if (o < 0 || o >= Allocations.Count) return $"free ordinal {o} lies outside the block's {Allocations.Count} addresses";
            if (seen[o]) return $"free ordinal {o} is listed twice";
            seen[o] = true;
            if (Allocations[o] is not null) return $"ordinal {o} is both free and allocated";
        }
        return null;
    }

    /// <summary>
    /// Takes up to <paramref name="count"/> addresses from the front of the free list (Calico's autoAssign).
    /// <paramref name="affinity"/> is the requester's "host:&lt;node&gt;"; with <paramref name="affinityCheck"/> a block
    /// owned by anyone else, or by no one, is refused.
    /// </summary>
    internal List<IPAddress> AutoAssign(int count, string? handleId, IReadOnlyDictionary<string, string>? attributes,
        string affinity, bool affinityCheck)
    {
        CheckAffinity(affinity, affinityCheck);
        var unallocated = Unallocated ??= new List<int>();
        var take = Math.Min(count, unallocated.Count);
        var addresses = new List<IPAddress>(take);
        if (take == 0) return addresses;
        var attributeIndex = FindOrAddAttribute(handleId, attributes);
        for (var i = 0; i < take; i++)
        {
            var ordinal = unallocated[i];
            Allocations![ordinal] = attributeIndex;
            addresses.Add(OrdinalToAddress(ordinal));
            SetSequenceNumberForOrdinal(ordinal);
        }
        unallocated.RemoveRange(0, take);
        return addresses;
    }

    /// <summary>Assigns one given address (Calico's assign).</summary>
    /// <exception cref="IpamException">The address is taken, outside the block, or the affinity check fails.</exception>
    internal void Assign(IPAddress address, string? handleId, IReadOnlyDictionary<string, string>? attributes,
        string affinity, bool affinityCheck)
    {
        CheckAffinity(affinity, affinityCheck);
        var ordinal = AddressToOrdinal(address);
        if (ordinal < 0) throw new IpamException(IpamErrorReason.InvalidRequest, $"address {address} is not in block {Cidr}");
        SetSequenceNumberForOrdinal(ordinal);
        if (Allocations![ordinal] is not null)
            throw new IpamException(IpamErrorReason.AddressInUse, $"address {address} is already assigned in block {Cidr}");
        Allocations[ordinal] = FindOrAddAttribute(handleId, attributes);
        Unallocated?.Remove(ordinal);
    }

    private void CheckAffinity(string affinity, bool affinityCheck)
    {
        if (!affinityCheck) return;
        if (Affinity is null)
            throw new IpamException(IpamErrorReason.AffinityMismatch, $"block {Cidr} has no affinity and strict affinity is on");
        if (Affinity != affinity)
            throw new IpamException(IpamErrorReason.AffinityMismatch, $"block {Cidr} affinity ({Affinity}) does not match provided ({affinity})");
    }

    /// <summary>
    /// Releases the given addresses (Calico's release). Each freed ordinal first points at a new attribute holding
    /// only releasedAt, then garbage collection frees those whose cooldown has passed.
    /// </summary>
    /// <returns>The addresses that were not allocated (or already cooling down), and how many were freed per handle.</returns>
    /// <exception cref="IpamException">A request names a handle or sequence number the allocation does not have (nothing changes).</exception>
    internal (List<IPAddress> NotAllocated, Dictionary<string, int> CountByHandle) Release(
        IReadOnlyList<ReleaseOptions> requests, int cooldownSeconds, DateTimeOffset now)
    {
        var notAllocated = new List<IPAddress>();
        var countByHandle = new Dictionary<string, int>(StringComparer.Ordinal);
        var ordinals = new List<int>();
        // Last request per address wins, as in Calico's de-duplicating map.
        var unique = new Dictionary<IPAddress, ReleaseOptions>();
        var order = new List<IPAddress>();
        foreach (var request in requests)
        {
            if (!unique.ContainsKey(request.Address)) order.Add(request.Address);
            unique[request.Address] = request;
        }
        foreach (var address in order)
        {
            var request = unique[address];
            var ordinal = AddressToOrdinal(address);
            if (ordinal < 0) throw new IpamException(IpamErrorReason.InvalidRequest, $"address {address} is not in block {Cidr}");
            if (request.SequenceNumber is { } wanted && wanted != GetSequenceNumberForOrdinal(ordinal))
                throw new IpamException(IpamErrorReason.ReleaseConflict,
                    $"address {address}: sequence number {wanted} was asked for, block {Cidr} has {GetSequenceNumberForOrdinal(ordinal)}");
            if (Allocations![ordinal] is not { } index || Attributes![index].ReleasedAt is not null)
            {
                notAllocated.Add(address);
                continue;
            }
            ordinals.Add(ordinal);
            var handle = Attributes[index].HandleId is { } h ? SanitizeHandle(h) : "";
            if (!string.IsNullOrEmpty(request.Handle) && handle != request.Handle)
                throw new IpamException(IpamErrorReason.ReleaseConflict,
                    $"address {address}: handle '{request.Handle}' was asked for, but it is assigned to handle '{handle}'");
            if (handle.Length > 0) countByHandle[handle] = countByHandle.GetValueOrDefault(handle) + 1;
        }
        if (ordinals.Count == 0) return (notAllocated, countByHandle);

        var cooldown = AddCooldownAttribute(now);
        foreach (var ordinal in ordinals)
        {
            Allocations![ordinal] = cooldown;
            SetSequenceNumberForOrdinal(ordinal);
        }
        CollectGarbage(cooldownSeconds, now);
        return (notAllocated, countByHandle);
    }

    /// <summary>Releases every address of a handle (Calico's releaseByHandle). Returns how many were released.</summary>
    internal int ReleaseByHandle(string handleId, ulong? sequenceNumber, int cooldownSeconds, DateTimeOffset now)
    {
        var indexes = AttributeIndexesOf(handleId);
        if (indexes.Count == 0) return 0;
        int? cooldown = null;
        var released = 0;
        for (var o = 0; o < Allocations!.Count; o++)
        {
            if (Allocations[o] is not { } index || !indexes.Contains(index)) continue;
            if (sequenceNumber is { } wanted && wanted != GetSequenceNumberForOrdinal(o)) continue;
            cooldown ??= AddCooldownAttribute(now);
            Allocations[o] = cooldown;
            released++;
        }
        CollectGarbage(cooldownSeconds, now);
        return released;
    }

    /// <summary>
    /// Frees ordinals whose cooldown has passed (appending them to the free list in ordinal order) and drops
    /// attributes nothing points at any more (Calico's garbageCollect, run on every block it reads).
    /// Returns true when the block changed.
    /// </summary>
    public bool CollectGarbage(int cooldownSeconds, DateTimeOffset now)
    {
        if (Allocations is null) return false;
        var attributes = Attributes ??= new List<AllocationAttribute>();
        var changed = false;
        var used = new bool[attributes.Count];
        var releasedBy = now.AddSeconds(-cooldownSeconds);
        for (var o = 0; o < Allocations.Count; o++)
        {
            if (Allocations[o] is not { } index) continue;
            var releasedAt = attributes[index].ReleasedAt;
            // Released at least the cooldown ago; a negative cooldown frees at once, as in Calico.
            if (releasedAt is { } at && (cooldownSeconds < 0 || at <= releasedBy))
            {
                Allocations[o] = null;
                (Unallocated ??= new List<int>()).Add(o);
                SequenceNumberForAllocation?.Remove(o.ToString(CultureInfo.InvariantCulture));
                changed = true;
            }
            else
            {
                used[index] = true;
            }
        }
        if (Array.IndexOf(used, false) < 0) return changed;

        var newIndex = new int[attributes.Count];
        var kept = new List<AllocationAttribute>(attributes.Count);
        for (var i = 0; i < attributes.Count; i++)
        {
            if (!used[i]) continue;
            newIndex[i] = kept.Count;
            kept.Add(attributes[i]);
        }
        Attributes = kept;
        for (var o = 0; o < Allocations.Count; o++)
            if (Allocations[o] is { } index) Allocations[o] = newIndex[index];
        return true;
    }

    /// <summary>The owner of an assigned address, its handle cleaned of Calico's old "\r…" suffix.</summary>
    /// <exception cref="IpamException">The address is not assigned, or is cooling down.</exception>
    internal AllocationAttribute AssignmentOf(IPAddress address)
    {
        var ordinal = AddressToOrdinal(address);
        if (ordinal < 0 || Allocations![ordinal] is not { } index)
            throw new IpamException(IpamErrorReason.AddressNotAssigned, $"address {address} is not assigned");
        var attribute = Attributes![index];
        if (attribute.ReleasedAt is not null)
            throw new IpamException(IpamErrorReason.AddressInCooldown, $"address {address} was released and is cooling down");
        var copy = attribute.Clone();
        if (copy.HandleId is { } h) copy.HandleId = SanitizeHandle(h);
        return copy;
    }

    /// <summary>The addresses assigned to a handle.</summary>
    internal List<IPAddress> AddressesOf(string handleId)
    {
        var indexes = AttributeIndexesOf(handleId);
        var addresses = new List<IPAddress>();
        if (indexes.Count == 0) return addresses;
        for (var o = 0; o < Allocations!.Count; o++)
            if (Allocations[o] is { } index && indexes.Contains(index)) addresses.Add(OrdinalToAddress(o));
        return addresses;
    }

    public ulong GetSequenceNumberForOrdinal(int ordinal) =>
        SequenceNumberForAllocation is not null
        && SequenceNumberForAllocation.TryGetValue(ordinal.ToString(CultureInfo.InvariantCulture), out var n) ? n : 0;

    private void SetSequenceNumberForOrdinal(int ordinal) =>
        (SequenceNumberForAllocation ??= new Dictionary<string, ulong>(StringComparer.Ordinal))[ordinal.ToString(CultureInfo.InvariantCulture)] = SequenceNumber;

    private HashSet<int> AttributeIndexesOf(string handleId)
    {
        var indexes = new HashSet<int>();
        if (Attributes is null) return indexes;
        for (var i = 0; i < Attributes.Count; i++)
            if (Attributes[i].HandleId is { } h && SanitizeHandle(h) == handleId) indexes.Add(i);
        return indexes;
    }

    private int AddCooldownAttribute(DateTimeOffset now)
    {
        var attributes = Attributes ??= new List<AllocationAttribute>();
        attributes.Add(new AllocationAttribute { ReleasedAt = now });
        return attributes.Count - 1;
    }

    /// <summary>
    /// Reuses an attribute only when it is exactly {handle, attributes} and nothing else, as Calico's reflect.DeepEqual
    /// does: an absent attribute map and an empty one differ.
    /// </summary>
    private int FindOrAddAttribute(string? handleId, IReadOnlyDictionary<string, string>? attributes)
    {
        var list = Attributes ??= new List<AllocationAttribute>();
        for (var i = 0; i < list.Count; i++)
        {
            var existing = list[i];
            if (existing.HandleId == handleId && existing.AlternateOwnerAttrs is null && existing.ReleasedAt is null
                && SameMap(existing.Secondary, attributes)) return i;
        }
        list.Add(new AllocationAttribute
        {
            HandleId = handleId,
            Secondary = attributes is null ? null : new Dictionary<string, string>(attributes, StringComparer.Ordinal),
        });
        return list.Count - 1;
    }

    private static bool SameMap(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a.Count != b.Count) return false;
        foreach (var (key, value) in a)
            if (!b.TryGetValue(key, out var other) || other != value) return false;
        return true;
    }

    /// <summary>Calico cuts handles at the first '\r': host-local migration once wrote such malformed handles.</summary>
    internal static string SanitizeHandle(string handleId)
    {
        var cut = handleId.IndexOf('\r');
        return cut < 0 ? handleId : handleId[..cut];
    }
}
