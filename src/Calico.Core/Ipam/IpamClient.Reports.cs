using Calico.Datastore;
using Calico.Net;

namespace Calico.Ipam;

public sealed partial class IpamClient
{
    /// <summary>Every block as stored (what the route planner works from), read with one list, in key order.</summary>
    public async Task<IReadOnlyList<AllocationBlock>> ListBlocksAsync(CancellationToken cancellationToken = default) =>
        (await _store.ListBlocksAsync(0, cancellationToken).ConfigureAwait(false)).Select(b => b.Block).ToList();

    /// <summary>Every block, read with one list of the datastore, in key order (IPv4 first).</summary>
    /// <exception cref="DatastoreCorruptException">A stored block cannot be read.</exception>
    public Task<IReadOnlyList<IpamBlockInfo>> GetBlocksAsync(CancellationToken cancellationToken = default) =>
        GetBlocksAsync(unreadable: null, cancellationToken);

    /// <summary>
    /// Every block, as <see cref="GetBlocksAsync(CancellationToken)"/>; a block that cannot be read goes to
    /// <paramref name="unreadable"/> (when given) and the others are still described.
    /// </summary>
    public async Task<IReadOnlyList<IpamBlockInfo>> GetBlocksAsync(ICollection<DatastoreCorruptException>? unreadable,
        CancellationToken cancellationToken = default)
    {
        var pools = await AllPoolsAsync(cancellationToken).ConfigureAwait(false);
        var blocks = await _store.ListBlocksAsync(0, cancellationToken, unreadable).ConfigureAwait(false);
        return blocks.Select(b => DescribeBlock(b.Block, pools)).ToList();
    }

    /// <summary>
    /// Every assigned address, cooling-down ones included, read with one list of the datastore; optionally only those
    /// of one node (by their "node" attribute) or one handle.
    /// </summary>
    /// <exception cref="DatastoreCorruptException">A stored block cannot be read.</exception>
    public Task<IReadOnlyList<IpamAddressInfo>> GetAllocationsAsync(string? node = null, string? handleId = null,
        CancellationToken cancellationToken = default) =>
        GetAllocationsAsync(node, handleId, unreadable: null, cancellationToken);

    /// <summary>
    /// The assigned addresses, as <see cref="GetAllocationsAsync(string?, string?, CancellationToken)"/>; a block that
    /// cannot be read goes to <paramref name="unreadable"/> (when given) and the others' addresses are still listed.
    /// </summary>
    public async Task<IReadOnlyList<IpamAddressInfo>> GetAllocationsAsync(string? node, string? handleId,
        ICollection<DatastoreCorruptException>? unreadable, CancellationToken cancellationToken = default)
    {
        var pools = await AllPoolsAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<IpamAddressInfo>();
        foreach (var stored in await _store.ListBlocksAsync(0, cancellationToken, unreadable).ConfigureAwait(false))
        {
            var block = stored.Block;
            var poolName = PoolOf(block.Cidr, pools);
            for (var o = 0; o < block.Allocations!.Count; o++)
            {
                if (block.Allocations[o] is not { } index) continue;
                var attribute = block.Attributes![index];
                var handle = attribute.HandleId is { } h ? AllocationBlock.SanitizeHandle(h) : null;
                if (node is not null && attribute.Node != node) continue;
                if (handleId is not null && handle != handleId) continue;
                result.Add(new IpamAddressInfo
                {
                    Address = block.OrdinalToAddress(o),
                    Block = block.Cidr,
                    Pool = poolName,
                    Handle = handle,
                    Node = attribute.Node,
                    Type = TypeOf(attribute, handle),
                    BlockHost = block.Host,
                    Borrowed = attribute.ReleasedAt is null && IsBorrowed(block, attribute),
                    Attributes = attribute.Secondary ?? new Dictionary<string, string>(),
                    ReleasedAt = attribute.ReleasedAt,
                    SequenceNumber = block.GetSequenceNumberForOrdinal(o),
                });
            }
        }
        return result;
    }

    private static IpamBlockInfo DescribeBlock(AllocationBlock block, List<IpamPool> pools)
    {
        var borrowed = new List<BorrowedAddress>();
        var cooling = 0;
        for (var o = 0; o < block.Allocations!.Count; o++)
        {
            if (block.Allocations[o] is not { } index) continue;
            var attribute = block.Attributes![index];
            if (attribute.ReleasedAt is not null) cooling++;
            else if (IsBorrowed(block, attribute)) borrowed.Add(new BorrowedAddress(block.OrdinalToAddress(o), attribute.Node));
        }
        var affinityType = block.Affinity is null ? null
            : block.Affinity.StartsWith(AllocationBlock.HostAffinityPrefix, StringComparison.Ordinal) ? "host"
            : block.Affinity.StartsWith(AllocationBlock.VirtualAffinityPrefix, StringComparison.Ordinal) ? "virtual" : null;
        return new IpamBlockInfo
        {
            Cidr = block.Cidr,
            Host = block.Host,
            AffinityType = affinityType,
            Pool = PoolOf(block.Cidr, pools),
            Size = block.Size,
            InUse = block.InUseCount,
            Free = block.FreeCount,
            InCooldown = cooling,
            BorrowedAddresses = borrowed,
            SequenceNumber = block.SequenceNumber,
        };
    }

    /// <summary>Calico's NonAffineAllocations: in use by a node other than the block's (every address, in an unowned block).</summary>
    private static bool IsBorrowed(AllocationBlock block, AllocationAttribute attribute)
    {
        var host = block.Host;
        if (string.IsNullOrEmpty(host)) return true;
        return attribute.Node != host && !string.Equals(attribute.HandleId, AllocationBlock.WindowsReservedHandle, StringComparison.OrdinalIgnoreCase);
    }

    private static string? PoolOf(IPPrefix cidr, List<IpamPool> pools) =>
        pools.FirstOrDefault(p => p.Cidr.Contains(cidr))?.Name;

    private static string TypeOf(AllocationAttribute attribute, string? handle) =>
        attribute.Secondary is { } s && s.TryGetValue(AllocationAttribute.TypeKey, out var type) ? type
        : attribute.Secondary?.ContainsKey("pod") == true ? "pod"
        : string.Equals(handle, AllocationBlock.WindowsReservedHandle, StringComparison.OrdinalIgnoreCase) ? "windowsReserved"
        : attribute.ReleasedAt is not null ? "releasing"
        : "";
}
