using System.Text;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Net;

namespace Calico.Client;

/// <summary>
/// What Calico releases in IPAM when a pool or a node goes away: block affinities (an empty block is deleted, a block
/// still in use loses its affinity) and a node's tunnel-address handles. Every write is a compare-and-swap on the
/// block, so a concurrent allocation is never lost.
/// </summary>
internal static class IpamRelease
{
    private static readonly string[] TunnelHandlePrefixes = { "ipip-tunnel-addr-", "vxlan-tunnel-addr-", "vxlan-v6-tunnel-addr-" };

    /// <summary>Releases every host's affinity to blocks inside <paramref name="cidr"/> (Calico's pool delete).</summary>
    public static async Task ReleasePoolAffinitiesAsync(IKeyValueStore store, IPPrefix cidr, CancellationToken cancellationToken)
    {
        var affinities = await store.ListAsync(IpamKeys.AffinityRoot, cancellationToken).ConfigureAwait(false);
        foreach (var affinity in affinities.Items)
        {
            if (IpamKeys.TryDecodeBlockKey(affinity.Key, out var block) && cidr.Contains(block))
                await ReleaseAffinityAsync(store, affinity, block, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases a node's tunnel addresses and block affinities (Calico's node delete).</summary>
    public static async Task ReleaseHostAsync(IKeyValueStore store, string host, CancellationToken cancellationToken)
    {
        foreach (var prefix in TunnelHandlePrefixes)
            await ReleaseHandleAsync(store, prefix + host, cancellationToken).ConfigureAwait(false);
        var affinities = await store.ListAsync(IpamKeys.AffinityPrefix(host), cancellationToken).ConfigureAwait(false);
        foreach (var affinity in affinities.Items)
        {
            if (IpamKeys.TryDecodeBlockKey(affinity.Key, out var block))
                await ReleaseAffinityAsync(store, affinity, block, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ReleaseAffinityAsync(IKeyValueStore store, KeyValue affinity, IPPrefix cidr, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stored = await store.GetAsync(IpamKeys.Block(cidr), cancellationToken).ConfigureAwait(false);
            if (stored is null) break;
            var block = IpamJson.DeserializeBlock(Encoding.UTF8.GetString(stored.Value));
            try
            {
                if (block.Allocations?.All(a => a is null) ?? true)
                {
                    await store.DeleteAsync(stored.Key, stored.ModRevision, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    block.Affinity = null;
                    block.AffinityClaimTime = null;
                    block.SequenceNumber++;
                    await store.UpdateAsync(stored.Key, Encoding.UTF8.GetBytes(IpamJson.Serialize(block)), stored.ModRevision, cancellationToken).ConfigureAwait(false);
                }
                break;
            }
            catch (ResourceConflictException)
            {
                // The block changed under us (an allocation): read it again.
            }
            catch (ResourceNotFoundException)
            {
                break;
            }
        }
        try
        {
            await store.DeleteAsync(affinity.Key, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            // Already released by someone else.
        }
    }

    private static async Task ReleaseHandleAsync(IKeyValueStore store, string handleId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(IpamKeys.Handle(handleId), cancellationToken).ConfigureAwait(false);
        if (stored is null) return;
        var handle = IpamJson.DeserializeHandle(Encoding.UTF8.GetString(stored.Value));
        foreach (var blockCidr in handle.Block.Keys)
        {
            if (!IPPrefix.TryParse(blockCidr, out var cidr)) continue;
            while (true)
            {
                var kv = await store.GetAsync(IpamKeys.Block(cidr), cancellationToken).ConfigureAwait(false);
                if (kv is null) break;
                var block = IpamJson.DeserializeBlock(Encoding.UTF8.GetString(kv.Value));
                var freed = false;
                for (var ordinal = 0; ordinal < (block.Allocations?.Count ?? 0); ordinal++)
                {
                    if (block.AttributeOf(ordinal)?.HandleId != handleId) continue;
                    block.Allocations![ordinal] = null;
                    block.Unallocated!.Add(ordinal);
                    block.SequenceNumberForAllocation?.Remove(ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    freed = true;
                }
                if (!freed) break;
                block.SequenceNumber++;
                try
                {
                    await store.UpdateAsync(kv.Key, Encoding.UTF8.GetBytes(IpamJson.Serialize(block)), kv.ModRevision, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (ResourceConflictException)
                {
                    // Retry against the block's new state.
                }
            }
        }
        try
        {
            await store.DeleteAsync(stored.Key, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
        }
    }
}
