using System.Net;
using Calico.Datastore;
using Calico.Net;

namespace Calico.Ipam;

public sealed partial class IpamClient
{
    /// <summary>
    /// Hands out addresses as Calico's AutoAssign does: first from blocks affine to the host, then from blocks the
    /// host claims (up to its block limit), and, without strict affinity, when no pool has an unclaimed block left,
    /// by borrowing from other hosts' blocks.
    /// </summary>
    /// <exception cref="IpamException">The request is invalid, the node is unknown, or no pool qualifies.</exception>
    public async Task<IpamAssignments> AutoAssignAsync(AutoAssignArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        Validate(args);
        var ct = cancellationToken;
        if (args.Count == 0) return new IpamAssignments([], 0, args.Family, []);

        var config = await GetConfigAsync(ct).ConfigureAwait(false);
        var (pools, affineBlocks) = await PrepareAffinityBlocksForHostAsync(config, args, ct).ConfigureAwait(false);
        var affinity = BlockClaims.HostAffinity(args.Host);
        var maxBlocks = BlockLimit(args.MaxBlocksPerHost, config.MaxBlocksPerHost);
        var owned = affineBlocks.Count;
        var remainingAffine = new Queue<IPPrefix>(affineBlocks);
        var addresses = new List<IPAddress>(args.Count);
        var messages = new List<string>();
        void AddMessage(string m) { if (!messages.Contains(m)) messages.Add(m); }

        while (addresses.Count < args.Count)
        {
            var allowNewClaim = owned < maxBlocks;
            StoredBlock block;
            bool newlyClaimed;
            try
            {
                (block, newlyClaimed) = await FindOrClaimBlockAsync(args.Host, remainingAffine, allowNewClaim, pools, config, ct).ConfigureAwait(false);
            }
            catch (NoFreeBlocksException)
            {
                if (config.StrictAffinity) AddMessage("No more free affine blocks and strict affinity enabled");
                break;
            }
            catch (BlockLimitReachedException)
            {
                AddMessage($"Need to allocate an IPAM block but could not - limit of {maxBlocks} blocks reached for this node");
                return new IpamAssignments(addresses, args.Count, args.Family, messages) { BlockLimitReached = true };
            }
            catch (IpamException ex)
            {
                // No new block may be claimed (auto_allocate_blocks off) or claiming kept conflicting: Calico gives up
                // here without borrowing.
                AddMessage(ex.Message);
                return new IpamAssignments(addresses, args.Count, args.Family, messages);
            }
            if (newlyClaimed) owned++;

            for (var attempt = 0; attempt < DatastoreRetries; attempt++)
            {
                try
                {
                    addresses.AddRange(await AssignFromBlockAsync(config, block, args.Count - addresses.Count, args, affinity,
                        config.StrictAffinity, ct).ConfigureAwait(false));
                    break;
                }
                catch (ResourceConflictException)
                {
                    // Someone else wrote the block: start again from what is stored now.
                    var reread = await _store.GetBlockAsync(block.Block.Cidr, ct).ConfigureAwait(false);
                    if (reread is null) break;
                    block = reread;
                }
                catch (Exception ex) when (ex is IpamException or ResourceNotFoundException)
                {
                    AddMessage("Failed to assign IPs in newly allocated block");
                    break;
                }
            }
        }

        if (!config.StrictAffinity && addresses.Count < args.Count)
            await BorrowAsync(config, pools, args, affinity, addresses, AddMessage, ct).ConfigureAwait(false);
        return new IpamAssignments(addresses, args.Count, args.Family, messages);
    }

    private static void Validate(AutoAssignArgs args)
    {
        if (string.IsNullOrEmpty(args.Host)) throw new IpamException(IpamErrorReason.InvalidRequest, "AutoAssign: host must be set");
        if (args.Count < 0) throw new IpamException(IpamErrorReason.InvalidRequest, $"AutoAssign: count {args.Count} is negative");
        if (args.Family is not (4 or 6)) throw new IpamException(IpamErrorReason.InvalidRequest, $"AutoAssign: family {args.Family} is not 4 or 6");
        foreach (var pool in args.Pools)
            if (pool.Family != args.Family)
                throw new IpamException(IpamErrorReason.InvalidRequest,
                    $"provided IPv{args.Family} IPPools list contains one or more IPv{pool.Family} IPPools ({pool})");
    }

    /// <summary>The stricter of the request's and the config's block limit; Calico's 20 when neither sets one.</summary>
    private static int BlockLimit(int requested, int configured)
    {
        var limit = requested;
        if (configured > 0 && (limit == 0 || limit > configured)) limit = configured;
        return limit > 0 ? limit : IpamConfig.DefaultMaxBlocksPerHost;
    }

    /// <summary>
    /// The pools this request may use, and the host's affine blocks inside them (libcalico-go
    /// prepareAffinityBlocksForHost). Empty affine blocks in pools that no longer select the host are released.
    /// </summary>
    private async Task<(List<IpamPool> Pools, List<IPPrefix> AffineBlocks)> PrepareAffinityBlocksForHostAsync(
        IpamConfig config, AutoAssignArgs args, CancellationToken ct)
    {
        var node = await _cluster.GetNodeAsync(args.Host, ct).ConfigureAwait(false)
            ?? throw new IpamException(IpamErrorReason.NodeNotFound, $"node {args.Host} does not exist; IPAM needs its labels to choose pools");
        var labels = node.Metadata.Labels;
        var enabled = await EnabledPoolsAsync(args.Family, ct).ConfigureAwait(false);
        if (enabled.Count == 0) throw new IpamException(IpamErrorReason.NoQualifiedPool, "cannot find a qualified ippool");

        List<IpamPool> selecting;
        if (args.Pools.Count > 0)
        {
            // Named pools are used as given, selectors and assignment mode notwithstanding, as in Calico.
            selecting = args.Pools.Select(requested => enabled.FirstOrDefault(p => p.Cidr == requested.Network)
                ?? throw new IpamException(IpamErrorReason.NoQualifiedPool, $"the given pool ({requested.Network}) does not exist, or is not enabled")).ToList();
        }
        else
        {
            selecting = enabled.Where(p => p.IsAutomatic && p.SelectsNode(labels) && p.SelectsNamespace(args.NamespaceLabels)).ToList();
        }
        if (selecting.Count == 0) throw new IpamException(IpamErrorReason.NoQualifiedPool, $"no configured Calico pools for node {args.Host}");
        var allowed = selecting.Where(p => p.Allows(args.IntendedUse)).ToList();
        if (allowed.Count == 0)
            throw new IpamException(IpamErrorReason.NoQualifiedPool, $"cannot find a qualified ippool, no pools match the required use ({args.IntendedUse})");

        var affineBlocks = new List<IPPrefix>();
        foreach (var affinity in await _store.ListAffinitiesAsync(args.Host, args.Family, ct).ConfigureAwait(false))
        {
            var cidr = affinity.Cidr;
            if (IpamPool.Containing(allowed, cidr.Address) is not null)
            {
                affineBlocks.Add(cidr);
                continue;
            }
            if (IpamPool.Containing(selecting, cidr.Address) is not null) continue;
            // Not in any pool that selects the host: release it if empty and its pool really has stopped selecting it.
            var pool = IpamPool.Containing(enabled, cidr.Address);
            if (pool is null || pool.SelectsNode(labels)) continue;
            await ReleaseIfEmptyAsync(args.Host, cidr, config, ct).ConfigureAwait(false);
        }
        return (allowed, affineBlocks);
    }

    /// <summary>
    /// A block to assign from (libcalico-go findOrClaimBlock): the next affine block with room, else a newly claimed one.
    /// </summary>
    /// <exception cref="BlockLimitReachedException">No affine block has room and the host may claim no more.</exception>
    /// <exception cref="NoFreeBlocksException">No block can be claimed.</exception>
    /// <exception cref="IpamException">New blocks may not be claimed, or claiming kept conflicting.</exception>
    private async Task<(StoredBlock Block, bool NewlyClaimed)> FindOrClaimBlockAsync(string host, Queue<IPPrefix> remainingAffine,
        bool allowNewClaim, List<IpamPool> pools, IpamConfig config, CancellationToken ct)
    {
        while (remainingAffine.Count > 0)
        {
            var cidr = remainingAffine.Dequeue();
            for (var attempt = 0; attempt < DatastoreRetries; attempt++)
            {
                var affinity = await _store.GetAffinityAsync(host, cidr, ct).ConfigureAwait(false);
                if (affinity is null) break;
                StoredBlock block;
                try
                {
                    block = await _claims.GetBlockFromAffinityAsync(affinity, config, ct).ConfigureAwait(false);
                }
                catch (ResourceConflictException)
                {
                    continue;
                }
                catch (Exception ex) when (ex is DatastoreException or StaleAffinityException or BlockClaimConflictException)
                {
                    break;
                }
                block.Block.CollectGarbage(config.IPCooldownSeconds, _clock.GetUtcNow());
                if (block.Block.FreeCount >= 1) return (block, false);
                break;
            }
        }

        if (!allowNewClaim) throw new BlockLimitReachedException();
        if (!config.AutoAllocateBlocks)
            throw new IpamException(IpamErrorReason.NoQualifiedPool, "failed to find or claim a block (auto_allocate_blocks is off)");
        for (var search = 0; search < DatastoreRetries; search++)
        {
            var cidr = await _claims.FindUsableBlockAsync(host, pools, config, ct).ConfigureAwait(false);
            for (var attempt = 0; attempt < DatastoreRetries; attempt++)
            {
                StoredBlock block;
                try
                {
                    var pending = await _claims.GetPendingAffinityAsync(host, cidr, ct).ConfigureAwait(false);
                    block = await _claims.GetBlockFromAffinityAsync(pending, config, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ResourceConflictException or ResourceNotFoundException)
                {
                    // Another writer changed or removed the affinity meanwhile: claim again.
                    continue;
                }
                catch (Exception ex) when (ex is BlockClaimConflictException or StaleAffinityException)
                {
                    break;
                }
                block.Block.CollectGarbage(config.IPCooldownSeconds, _clock.GetUtcNow());
                if (block.Block.FreeCount >= 1) return (block, true);
                break;
            }
        }
        throw TooManyRetries($"host {host}: claiming a block");
    }

    /// <summary>
    /// Takes addresses from one block (libcalico-go assignFromExistingBlock). The handle is counted first and
    /// uncounted again if the block's compare-and-swap fails, so the handle never misses an address.
    /// </summary>
    private async Task<List<IPAddress>> AssignFromBlockAsync(IpamConfig config, StoredBlock stored, int count, AutoAssignArgs args,
        string affinity, bool affinityCheck, CancellationToken ct)
    {
        var block = stored.Block;
        block.CollectGarbage(config.IPCooldownSeconds, _clock.GetUtcNow());
        var addresses = block.AutoAssign(count, args.HandleId, args.Attributes, affinity, affinityCheck);
        if (addresses.Count == 0) return addresses;
        await WriteWithHandleAsync(stored, args.HandleId, addresses.Count, ct).ConfigureAwait(false);
        return addresses;
    }

    /// <summary>Counts the handle, then writes the block; a failed write takes the count back off and rethrows.</summary>
    private async Task WriteWithHandleAsync(StoredBlock stored, string? handleId, int count, CancellationToken ct)
    {
        if (handleId is not null)
            await HandleCounts.IncrementAsync(_store, handleId, stored.Block.Cidr, count, DatastoreRetries, ct).ConfigureAwait(false);
        try
        {
            await _store.UpdateBlockAsync(stored, ct).ConfigureAwait(false);
        }
        catch (Exception) when (handleId is not null)
        {
            try
            {
                await HandleCounts.DecrementAsync(_store, handleId, stored.Block.Cidr, count, DatastoreRetries, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DatastoreException or IpamException)
            {
                // The handle over-counts until the next release by handle; never under-counts.
            }
            throw;
        }
    }

    /// <summary>
    /// The last resort without strict affinity: addresses from any existing block of the pools, other hosts' included,
    /// walked in the host's order. Blocks are listed once instead of read one by one, so a large pool costs one read.
    /// </summary>
    private async Task BorrowAsync(IpamConfig config, List<IpamPool> pools, AutoAssignArgs args, string affinity,
        List<IPAddress> addresses, Action<string> addMessage, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var free = new Dictionary<IPPrefix, int>();
        foreach (var stored in await _store.ListBlocksAsync(args.Family, ct).ConfigureAwait(false))
        {
            stored.Block.CollectGarbage(config.IPCooldownSeconds, now);
            free[stored.Block.Cidr] = stored.Block.FreeCount;
        }
        var exhausted = new List<string>();
        foreach (var pool in pools)
        {
            foreach (var cidr in BlockWalk.From(pool.Cidr, pool.BlockSize, args.Host))
            {
                if (addresses.Count >= args.Count) break;
                if (!free.TryGetValue(cidr, out var n) || n == 0) continue;
                for (var attempt = 0; attempt < DatastoreRetries; attempt++)
                {
                    var stored = await _store.GetBlockAsync(cidr, ct).ConfigureAwait(false);
                    if (stored is null) break;
                    try
                    {
                        addresses.AddRange(await AssignFromBlockAsync(config, stored, args.Count - addresses.Count, args, affinity,
                            affinityCheck: false, ct).ConfigureAwait(false));
                        break;
                    }
                    catch (ResourceConflictException)
                    {
                    }
                    catch (Exception ex) when (ex is IpamException or ResourceNotFoundException)
                    {
                        break;
                    }
                }
            }
            if (addresses.Count < args.Count) exhausted.Add(pool.Cidr.ToString());
        }
        if (exhausted.Count > 0) addMessage($"No IPs available in pools: [{string.Join(' ', exhausted)}]");
    }

    private async Task ReleaseIfEmptyAsync(string host, IPPrefix cidr, IpamConfig config, CancellationToken ct)
    {
        for (var attempt = 0; attempt < DatastoreRetries; attempt++)
        {
            try
            {
                await _claims.ReleaseBlockAffinityAsync(host, cidr, config, requireEmpty: true, null, ct).ConfigureAwait(false);
                return;
            }
            catch (ResourceConflictException)
            {
            }
            catch (Exception ex) when (ex is BlockClaimConflictException or BlockNotEmptyException or ResourceNotFoundException)
            {
                return;
            }
        }
    }
}
