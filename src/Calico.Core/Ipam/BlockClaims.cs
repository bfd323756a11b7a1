using Calico.Datastore;
using Calico.Net;

namespace Calico.Ipam;

/// <summary>
/// How a host comes to own a block, and gives it up (libcalico-go ipam_block_reader_writer.go): a pending affinity
/// is written first, then the block is created with the host's affinity, then the affinity is confirmed. Whoever
/// creates the block wins; a loser deletes its pending affinity. Every step is a compare-and-swap, so a conflict
/// surfaces as <see cref="ResourceConflictException"/> for the caller to retry.
/// </summary>
internal sealed class BlockClaims(IpamStore store, TimeProvider clock)
{
    /// <summary>An empty block claimed less than this long ago is not taken from its owner, so two hosts cannot ping-pong it.</summary>
    public static readonly TimeSpan EmptyBlockMinReclaimAge = TimeSpan.FromMinutes(1);

    public static string HostAffinity(string host) => AllocationBlock.HostAffinityPrefix + host;

    /// <summary>Creates a pending affinity, or takes the existing one (marking it pending unless already confirmed).</summary>
    public async Task<StoredAffinity> GetPendingAffinityAsync(string host, IPPrefix cidr, CancellationToken ct)
    {
        try
        {
            return await store.CreateAffinityAsync(host, cidr, new BlockAffinity(BlockAffinity.Pending), ct).ConfigureAwait(false);
        }
        catch (ResourceAlreadyExistsException)
        {
            var existing = await store.GetAffinityAsync(host, cidr, ct).ConfigureAwait(false)
                ?? throw Conflict(IpamKeys.Affinity(host, cidr), "the affinity vanished while it was being claimed");
            return existing.Value.State == BlockAffinity.Confirmed
                ? existing
                : await store.UpdateAffinityAsync(existing, BlockAffinity.Pending, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the block for a pending affinity and confirms the affinity.</summary>
    /// <exception cref="BlockClaimConflictException">Another host created the block first; our affinity is gone.</exception>
    public async Task<StoredBlock> ClaimAffineBlockAsync(StoredAffinity affinity, IpamConfig config, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var block = AllocationBlock.Create(affinity.Cidr, affinity.Host, now);
        StoredBlock created;
        try
        {
            created = await store.CreateBlockAsync(block, ct).ConfigureAwait(false);
        }
        catch (ResourceAlreadyExistsException)
        {
            var existing = await store.GetBlockAsync(affinity.Cidr, ct).ConfigureAwait(false)
                ?? throw Conflict(IpamKeys.Block(affinity.Cidr), "the block vanished while it was being claimed");
            existing.Block.CollectGarbage(config.IPCooldownSeconds, now);
            if (existing.Block.Affinity == HostAffinity(affinity.Host))
            {
                // Another process on this host claimed it: use it.
                await ConfirmAffinityAsync(affinity, ct).ConfigureAwait(false);
                return existing;
            }
            try
            {
                await store.DeleteAffinityAsync(affinity, ct).ConfigureAwait(false);
            }
            catch (DatastoreException)
            {
                // Best effort, as in Calico: a leftover pending affinity is cleaned up by the next claim or release.
            }
            throw new BlockClaimConflictException(affinity.Cidr, existing.Block.Affinity);
        }
        await ConfirmAffinityAsync(affinity, ct).ConfigureAwait(false);
        return created;
    }

    public async Task<StoredAffinity> ConfirmAffinityAsync(StoredAffinity affinity, CancellationToken ct)
    {
        try
        {
            return await store.UpdateAffinityAsync(affinity, BlockAffinity.Confirmed, ct).ConfigureAwait(false);
        }
        catch (DatastoreException)
        {
            var current = await store.GetAffinityAsync(affinity.Host, affinity.Cidr, ct).ConfigureAwait(false);
            if (current?.Value.State == BlockAffinity.Confirmed) return current;
            throw;
        }
    }

    /// <summary>
    /// The block an affinity refers to, created if missing (libcalico-go getBlockFromAffinity). An affinity whose block
    /// belongs to another host is deleted. An unconfirmed affinity is confirmed after the block is rewritten, so any
    /// other process working from the old block revision fails its compare-and-swap.
    /// </summary>
    /// <exception cref="StaleAffinityException">The block belongs to someone else.</exception>
    /// <exception cref="BlockClaimConflictException">The block was created by another host meanwhile.</exception>
    public async Task<StoredBlock> GetBlockFromAffinityAsync(StoredAffinity affinity, IpamConfig config, CancellationToken ct)
    {
        var block = await store.GetBlockAsync(affinity.Cidr, ct).ConfigureAwait(false);
        if (block is null)
        {
            var pending = await store.UpdateAffinityAsync(affinity, BlockAffinity.Pending, ct).ConfigureAwait(false);
            return await ClaimAffineBlockAsync(pending, config, ct).ConfigureAwait(false);
        }
        if (block.Block.Affinity != HostAffinity(affinity.Host))
        {
            await store.DeleteAffinityAsync(affinity, ct).ConfigureAwait(false);
            throw new StaleAffinityException(affinity.Cidr);
        }
        // An empty state is what very old Calico wrote: it counts as confirmed.
        if (affinity.Value.State != BlockAffinity.Confirmed && affinity.Value.State != "")
        {
            var pending = await store.UpdateAffinityAsync(affinity, BlockAffinity.Pending, ct).ConfigureAwait(false);
            block = await store.UpdateBlockAsync(block, ct).ConfigureAwait(false);
            await store.UpdateAffinityAsync(pending, BlockAffinity.Confirmed, ct).ConfigureAwait(false);
        }
        return block;
    }

    /// <summary>
    /// Gives up a host's affinity to a block (libcalico-go releaseBlockAffinity): the affinity goes to pendingDeletion,
    /// an empty block is deleted and a non-empty one loses its affinity, then the affinity is deleted.
    /// </summary>
    /// <exception cref="ResourceNotFoundException">The affinity or the block does not exist.</exception>
    /// <exception cref="BlockClaimConflictException">The block belongs to another host (our stale affinity is deleted).</exception>
    /// <exception cref="BlockNotEmptyException"><paramref name="requireEmpty"/> and the block has addresses in use.</exception>
    public async Task ReleaseBlockAffinityAsync(string host, IPPrefix cidr, IpamConfig config, bool requireEmpty,
        ulong? requiredSequenceNumber, CancellationToken ct)
    {
        var affinity = await store.GetAffinityAsync(host, cidr, ct).ConfigureAwait(false)
            ?? throw NotFound(IpamKeys.Affinity(host, cidr), $"host {host} has no affinity to block {cidr}");
        var block = await store.GetBlockAsync(cidr, ct).ConfigureAwait(false)
            ?? throw NotFound(IpamKeys.Block(cidr), $"block {cidr} does not exist");
        block.Block.CollectGarbage(config.IPCooldownSeconds, clock.GetUtcNow());
        if (requiredSequenceNumber is { } wanted && wanted != block.Block.SequenceNumber)
            throw Conflict(IpamKeys.Block(cidr), $"block {cidr} was updated since it was read");
        if (block.Block.Affinity is not null && block.Block.Affinity != HostAffinity(host))
        {
            try
            {
                await store.DeleteAffinityAsync(affinity, ct).ConfigureAwait(false);
            }
            catch (DatastoreException)
            {
                // Stale affinity left for the next attempt.
            }
            throw new BlockClaimConflictException(cidr, block.Block.Affinity);
        }
        if (requireEmpty && !block.Block.IsEmpty) throw new BlockNotEmptyException(cidr);

        affinity = await store.UpdateAffinityAsync(affinity, BlockAffinity.PendingDeletion, ct).ConfigureAwait(false);
        if (block.Block.IsEmpty)
        {
            try
            {
                await store.DeleteBlockAsync(block, ct).ConfigureAwait(false);
            }
            catch (ResourceNotFoundException)
            {
            }
        }
        else
        {
            block.Block.Affinity = null;
            block.Block.AffinityClaimTime = null;
            await store.UpdateBlockAsync(block, ct).ConfigureAwait(false);
        }
        try
        {
            await store.DeleteAffinityAsync(affinity, ct).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
        }
    }

    /// <summary>
    /// A block this host can claim or use (libcalico-go findUsableBlock): the first, in each pool's walk order, that
    /// does not exist yet or is ours with room; failing that, an empty block another host claimed over a minute ago,
    /// taken from it.
    /// </summary>
    /// <exception cref="NoFreeBlocksException">Nothing is usable.</exception>
    public async Task<IPPrefix> FindUsableBlockAsync(string host, IReadOnlyList<IpamPool> pools, IpamConfig config, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var existing = new Dictionary<IPPrefix, AllocationBlock>();
        foreach (var stored in await store.ListBlocksAsync(0, ct).ConfigureAwait(false))
        {
            stored.Block.CollectGarbage(config.IPCooldownSeconds, now);
            existing[stored.Block.Cidr] = stored.Block;
        }
        var ours = HostAffinity(host);
        var emptyBlocks = new List<AllocationBlock>();
        foreach (var pool in pools)
        {
            foreach (var cidr in BlockWalk.From(pool.Cidr, pool.BlockSize, host))
            {
                if (!existing.TryGetValue(cidr, out var block)) return cidr;
                if (block.Affinity == ours && block.FreeCount != 0) return cidr;
                if (block.IsEmpty && block.FreeCount != 0) emptyBlocks.Add(block);
            }
        }
        foreach (var block in emptyBlocks)
        {
            var claimed = block.AffinityClaimTime ?? DateTimeOffset.MinValue;
            if (now - claimed < EmptyBlockMinReclaimAge) continue;
            var owner = block.Affinity is { } a && a.StartsWith(AllocationBlock.HostAffinityPrefix, StringComparison.Ordinal) ? block.Host : null;
            if (string.IsNullOrEmpty(owner)) continue;
            try
            {
                // The sequence number guards against freeing a block the owner has just started using again.
                await ReleaseBlockAffinityAsync(owner, block.Cidr, config, requireEmpty: true, block.SequenceNumber, ct).ConfigureAwait(false);
                return block.Cidr;
            }
            catch (Exception ex) when (ex is DatastoreException or BlockClaimConflictException or BlockNotEmptyException)
            {
                // Try the next empty block.
            }
        }
        throw new NoFreeBlocksException();
    }

    private ResourceConflictException Conflict(string key, string why) =>
        new($"{why} ({store.Store.DescribeKey(key)})", store.Store.Location, key, null);

    private ResourceNotFoundException NotFound(string key, string why) =>
        new($"{why} ({store.Store.DescribeKey(key)})", store.Store.Location, key);
}
