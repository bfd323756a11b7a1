using System.Net;
using Calico.Datastore;
using Calico.Net;

namespace Calico.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// Releases addresses (libcalico-go ReleaseIPs), one compare-and-swap per block. Addresses that were not
    /// assigned are reported, not an error. A block left empty and unowned is deleted.
    /// </summary>
    /// <exception cref="IpamException">A request names a handle or sequence number its allocation does not have; that block is left unchanged.</exception>
    public async Task<IpamReleaseResult> ReleaseIPsAsync(IEnumerable<ReleaseOptions> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var ct = cancellationToken;
        var list = requests.Select(r => r with { Handle = r.Handle is null ? null : AllocationBlock.SanitizeHandle(r.Handle) }).ToList();
        var released = new List<IPAddress>();
        var notAllocated = new List<IPAddress>();
        if (list.Count == 0) return new IpamReleaseResult(released, notAllocated);

        // Every pool, disabled ones too, gives the block at once; otherwise the blocks are searched.
        var pools = await AllPoolsAsync(ct).ConfigureAwait(false);
        List<StoredBlock>? allBlocks = null;
        var byBlock = new Dictionary<IPPrefix, List<ReleaseOptions>>();
        foreach (var request in list)
        {
            IPPrefix cidr;
            if (IpamPool.Containing(pools, request.Address) is { } pool)
            {
                cidr = pool.BlockFor(request.Address);
            }
            else
            {
                allBlocks ??= await _store.ListBlocksAsync(0, ct).ConfigureAwait(false);
                var owner = allBlocks.FirstOrDefault(b => b.Block.Cidr.Contains(request.Address));
                if (owner is null)
                {
                    notAllocated.Add(request.Address);
                    continue;
                }
                cidr = owner.Block.Cidr;
            }
            if (!byBlock.TryGetValue(cidr, out var group)) byBlock[cidr] = group = new List<ReleaseOptions>();
            group.Add(request);
        }

        var config = await GetConfigAsync(ct).ConfigureAwait(false);
        foreach (var (cidr, group) in byBlock)
        {
            var missing = await ReleaseFromBlockAsync(config, cidr, group, ct).ConfigureAwait(false);
            notAllocated.AddRange(missing);
            released.AddRange(group.Select(r => r.Address).Distinct().Where(a => !missing.Contains(a)));
        }
        return new IpamReleaseResult(released, notAllocated);
    }

    private async Task<List<IPAddress>> ReleaseFromBlockAsync(IpamConfig config, IPPrefix cidr, List<ReleaseOptions> requests, CancellationToken ct)
    {
        for (var attempt = 0; attempt < DatastoreRetries; attempt++)
        {
            var stored = await _store.GetBlockAsync(cidr, ct).ConfigureAwait(false);
            if (stored is null) return requests.Select(r => r.Address).Distinct().ToList();
            var now = _clock.GetUtcNow();
            stored.Block.CollectGarbage(config.IPCooldownSeconds, now);
            var (missing, countByHandle) = stored.Block.Release(requests, config.IPCooldownSeconds, now);
            if (missing.Count == requests.Select(r => r.Address).Distinct().Count()) return missing;
            try
            {
                await WriteOrDeleteAsync(stored, ct).ConfigureAwait(false);
            }
            catch (ResourceConflictException)
            {
                continue;
            }
            foreach (var (handle, count) in countByHandle)
                await TryDecrementAsync(handle, cidr, count, ct).ConfigureAwait(false);
            await EnsureConsistentAffinityAsync(config, stored.Block, ct).ConfigureAwait(false);
            return missing;
        }
        throw TooManyRetries($"releasing addresses in block {cidr}");
    }

    /// <summary>
    /// Releases every address of a handle (libcalico-go ReleaseByHandle) and returns how many there were.
    /// </summary>
    /// <exception cref="ResourceNotFoundException">No such handle.</exception>
    public async Task<int> ReleaseByHandleAsync(string handleId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(handleId);
        var ct = cancellationToken;
        handleId = AllocationBlock.SanitizeHandle(handleId);
        var handle = await _store.GetHandleAsync(handleId, ct).ConfigureAwait(false)
            ?? throw new ResourceNotFoundException($"IPAM handle {handleId} does not exist ({_store.Store.DescribeKey(IpamKeys.Handle(handleId))})",
                _store.Store.Location, IpamKeys.Handle(handleId));
        var config = await GetConfigAsync(ct).ConfigureAwait(false);
        var total = 0;
        foreach (var blockText in handle.Value.Block.Keys.ToList())
            if (IPPrefix.TryParse(blockText, out var cidr))
                total += await ReleaseByHandleInBlockAsync(config, cidr.Network, handleId, ct).ConfigureAwait(false);
        return total;
    }

    private async Task<int> ReleaseByHandleInBlockAsync(IpamConfig config, IPPrefix cidr, string handleId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < DatastoreRetries; attempt++)
        {
            // A missing block, or one without the handle, means the handle over-counted: nothing to release there.
            var stored = await _store.GetBlockAsync(cidr, ct).ConfigureAwait(false);
            if (stored is null) return 0;
            var now = _clock.GetUtcNow();
            stored.Block.CollectGarbage(config.IPCooldownSeconds, now);
            var count = stored.Block.ReleaseByHandle(handleId, null, config.IPCooldownSeconds, now);
            if (count == 0) return 0;
            try
            {
                await WriteOrDeleteAsync(stored, ct).ConfigureAwait(false);
            }
            catch (ResourceConflictException)
            {
                continue;
            }
            await TryDecrementAsync(handleId, cidr, count, ct).ConfigureAwait(false);
            await EnsureConsistentAffinityAsync(config, stored.Block, ct).ConfigureAwait(false);
            return count;
        }
        throw TooManyRetries($"releasing handle {handleId} in block {cidr}");
    }

    /// <summary>An empty block nobody owns is deleted; any other block is written back.</summary>
    private async Task WriteOrDeleteAsync(StoredBlock stored, CancellationToken ct)
    {
        if (stored.Block.IsEmpty && stored.Block.Affinity is null)
        {
            try
            {
                await _store.DeleteBlockAsync(stored, ct).ConfigureAwait(false);
            }
            catch (ResourceNotFoundException)
            {
            }
        }
        else
        {
            await _store.UpdateBlockAsync(stored, ct).ConfigureAwait(false);
        }
    }

    private async Task TryDecrementAsync(string handleId, IPPrefix cidr, int count, CancellationToken ct)
    {
        try
        {
            await HandleCounts.DecrementAsync(_store, handleId, cidr, count, DatastoreRetries, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DatastoreException or IpamException)
        {
            // The addresses are free; a handle that counts wrong is only a leftover, as in Calico.
        }
    }

    /// <summary>
    /// After a release: if the block's pool no longer selects the block's host, give the (now possibly empty) block
    /// up so other hosts can use it (libcalico-go ensureConsistentAffinity).
    /// </summary>
    private async Task EnsureConsistentAffinityAsync(IpamConfig config, AllocationBlock block, CancellationToken ct)
    {
        if (block.Affinity is not { } affinity || !affinity.StartsWith(AllocationBlock.HostAffinityPrefix, StringComparison.Ordinal)) return;
        var host = block.Host!;
        if (host.Length == 0) return;
        var node = await _cluster.GetNodeAsync(host, ct).ConfigureAwait(false);
        if (node is null) return;
        var pool = IpamPool.Containing(await EnabledPoolsAsync(block.Cidr.Family, ct).ConfigureAwait(false), block.Cidr.Address);
        try
        {
            if (pool is null || pool.SelectsNode(node.Metadata.Labels)) return;
            await _claims.ReleaseBlockAffinityAsync(host, block.Cidr, config, requireEmpty: true, null, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BlockClaimConflictException or BlockNotEmptyException or DatastoreException or IpamException)
        {
            // Calico logs and carries on: the addresses are already released.
        }
    }
}
