using Calico.Datastore;
using Calico.Net;

namespace Calico.Ipam;

/// <summary>
/// Keeps a handle's per-block counts (libcalico-go incrementHandle / decrementHandle). Allocation raises the count
/// before the block is written and lowers it again if that write fails, so a handle may briefly over-count but
/// never under-count: releasing by handle always finds every address.
/// </summary>
internal static class HandleCounts
{
    public static async Task IncrementAsync(IpamStore store, string handleId, IPPrefix block, int count, int retries, CancellationToken ct)
    {
        var blockId = block.ToString();
        for (var attempt = 0; attempt < retries; attempt++)
        {
            var handle = await store.GetHandleAsync(handleId, ct).ConfigureAwait(false)
                ?? new StoredHandle(handleId, new IPAMHandle(), 0);
            handle.Value.Block[blockId] = handle.Value.Block.GetValueOrDefault(blockId) + count;
            try
            {
                await store.PutHandleAsync(handle, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is ResourceConflictException or ResourceAlreadyExistsException or ResourceNotFoundException)
            {
                // Another writer changed the handle: read it again.
            }
        }
        throw new IpamException(IpamErrorReason.TooManyRetries, $"handle {handleId}: gave up counting {count} address(es) in block {block} after {retries} conflicting writes");
    }

    /// <summary>Lowers the count; a handle left with no blocks is deleted.</summary>
    /// <exception cref="ResourceNotFoundException">The handle does not exist.</exception>
    /// <exception cref="IpamException">The handle holds fewer addresses in the block than are being taken off.</exception>
    public static async Task DecrementAsync(IpamStore store, string handleId, IPPrefix block, int count, int retries, CancellationToken ct)
    {
        var blockId = block.ToString();
        for (var attempt = 0; attempt < retries; attempt++)
        {
            var handle = await store.GetHandleAsync(handleId, ct).ConfigureAwait(false)
                ?? throw new ResourceNotFoundException($"IPAM handle {handleId} does not exist ({store.Store.DescribeKey(IpamKeys.Handle(handleId))})",
                    store.Store.Location, IpamKeys.Handle(handleId));
            if (!handle.Value.Block.TryGetValue(blockId, out var current))
                throw new IpamException(IpamErrorReason.ReleaseConflict, $"Tried to decrement block {blockId} by {count} but it isn't linked to handle {handleId}");
            var left = current - count;
            if (left < 0)
                throw new IpamException(IpamErrorReason.ReleaseConflict,
                    $"Tried to decrement block {blockId} by {count} but it only has {current} addresses on handle {handleId}");
            if (left == 0) handle.Value.Block.Remove(blockId);
            else handle.Value.Block[blockId] = left;
            try
            {
                if (handle.Value.Block.Count == 0) await store.DeleteHandleAsync(handle, ct).ConfigureAwait(false);
                else await store.PutHandleAsync(handle, ct).ConfigureAwait(false);
                return;
            }
            catch (ResourceConflictException)
            {
            }
            catch (ResourceNotFoundException) when (handle.Value.Block.Count == 0)
            {
                return;
            }
        }
        throw new IpamException(IpamErrorReason.TooManyRetries, $"handle {handleId}: gave up taking {count} address(es) off block {block} after {retries} conflicting writes");
    }
}
