using System.Text;
using Calico.Datastore;
using Calico.Net;

namespace Calico.Ipam;

/// <summary>A block as read, with the revision a compare-and-swap must name.</summary>
internal sealed record StoredBlock(AllocationBlock Block, long Revision);

/// <summary>A host's affinity to a block as read (Revision 0: not stored yet).</summary>
internal sealed record StoredAffinity(string Host, IPPrefix Cidr, BlockAffinity Value, long Revision);

/// <summary>A handle as read (Revision 0: not stored yet, so it must be created).</summary>
internal sealed record StoredHandle(string HandleId, IPAMHandle Value, long Revision);

/// <summary>
/// Calico's IPAM keys read and written on an <see cref="IKeyValueStore"/>, typed, with compare-and-swap on every write.
/// A value that cannot be read, or a block that would hand an address out twice, is a
/// <see cref="DatastoreCorruptException"/> naming the key.
/// </summary>
internal sealed class IpamStore(IKeyValueStore store)
{
    public IKeyValueStore Store { get; } = store;

    public async Task<IpamConfig> GetConfigAsync(CancellationToken ct)
    {
        var kv = await Store.GetAsync(IpamKeys.Config, ct).ConfigureAwait(false);
        return kv is null ? IpamConfig.Default : Decode(kv, IpamJson.DeserializeConfig);
    }

    // ---- blocks ----

    public async Task<StoredBlock?> GetBlockAsync(IPPrefix cidr, CancellationToken ct)
    {
        var kv = await Store.GetAsync(IpamKeys.Block(cidr), ct).ConfigureAwait(false);
        return kv is null ? null : DecodeBlock(kv);
    }

    /// <summary>
    /// Every block of a family (0: both), in key order. An unreadable block throws, unless <paramref name="unreadable"/>
    /// is given: then each goes there and the readable blocks are still returned.
    /// </summary>
    public async Task<List<StoredBlock>> ListBlocksAsync(int family, CancellationToken ct, ICollection<DatastoreCorruptException>? unreadable = null)
    {
        var prefix = family == 0 ? IpamKeys.BlockRoot : IpamKeys.BlockPrefix(family);
        var list = await Store.ListAsync(prefix, ct).ConfigureAwait(false);
        return DecodeBlocks(list, unreadable);
    }

    /// <summary>The blocks of a list read from the store; unreadable ones throw or go to <paramref name="unreadable"/>.</summary>
    public List<StoredBlock> DecodeBlocks(KeyValueList list, ICollection<DatastoreCorruptException>? unreadable)
    {
        if (list.Errors.Count > 0)
        {
            if (unreadable is null) throw list.Errors[0];
            foreach (var error in list.Errors) unreadable.Add(error);
        }
        // Decoding dominates a large list (every sync reads every block): spread it over the cores, keeping key order.
        var decoded = new (StoredBlock? Block, DatastoreCorruptException? Error)[list.Items.Count];
        Parallel.For(0, decoded.Length, new ParallelOptions { MaxDegreeOfParallelism = decoded.Length < 64 ? 1 : -1 }, i =>
        {
            var kv = list.Items[i];
            if (!IpamKeys.TryDecodeBlockKey(kv.Key, out _)) return;
            try { decoded[i] = (DecodeBlock(kv), null); }
            catch (DatastoreCorruptException ex) { decoded[i] = (null, ex); }
        });
        var blocks = new List<StoredBlock>(decoded.Length);
        foreach (var (block, error) in decoded)
        {
            if (block is not null) blocks.Add(block);
            else if (error is not null)
            {
                if (unreadable is null) throw error;
                unreadable.Add(error);
            }
        }
        return blocks;
    }

    /// <exception cref="ResourceAlreadyExistsException">Someone else created the block first.</exception>
    public async Task<StoredBlock> CreateBlockAsync(AllocationBlock block, CancellationToken ct)
    {
        var kv = await Store.CreateAsync(IpamKeys.Block(block.Cidr), Encode(IpamJson.Serialize(block)), ct).ConfigureAwait(false);
        return new StoredBlock(block, kv.ModRevision);
    }

    /// <summary>Writes the block back if nobody changed it since it was read, bumping its sequence number first, as Calico's updateBlock does.</summary>
    /// <exception cref="ResourceConflictException">The block changed since it was read.</exception>
    /// <exception cref="ResourceNotFoundException">The block was deleted since it was read.</exception>
    public async Task<StoredBlock> UpdateBlockAsync(StoredBlock stored, CancellationToken ct)
    {
        stored.Block.SequenceNumber++;
        var kv = await Store.UpdateAsync(IpamKeys.Block(stored.Block.Cidr), Encode(IpamJson.Serialize(stored.Block)), stored.Revision, ct)
            .ConfigureAwait(false);
        return stored with { Revision = kv.ModRevision };
    }

    public Task DeleteBlockAsync(StoredBlock stored, CancellationToken ct) =>
        Store.DeleteAsync(IpamKeys.Block(stored.Block.Cidr), stored.Revision, ct);

    // ---- affinities ----

    public async Task<StoredAffinity?> GetAffinityAsync(string host, IPPrefix cidr, CancellationToken ct)
    {
        var kv = await Store.GetAsync(IpamKeys.Affinity(host, cidr), ct).ConfigureAwait(false);
        return kv is null ? null : new StoredAffinity(host, cidr, Decode(kv, IpamJson.DeserializeAffinity), kv.ModRevision);
    }

    /// <summary>The affinities of one host and family, or of every host (host null) and both families (family 0), in key order.</summary>
    public async Task<List<StoredAffinity>> ListAffinitiesAsync(string? host, int family, CancellationToken ct)
    {
        var prefix = host is null ? IpamKeys.AffinityRoot
            : family == 0 ? IpamKeys.AffinityPrefix(host)
            : $"{IpamKeys.AffinityPrefix(host)}ipv{family}/block/";
        var list = await Store.ListAsync(prefix, ct).ConfigureAwait(false);
        if (list.Errors.Count > 0) throw list.Errors[0];
        var result = new List<StoredAffinity>(list.Items.Count);
        foreach (var kv in list.Items)
        {
            if (!IpamKeys.TryDecodeAffinityKey(kv.Key, out var owner, out var cidr)) continue;
            if (family != 0 && cidr.Family != family) continue;
            result.Add(new StoredAffinity(owner, cidr, Decode(kv, IpamJson.DeserializeAffinity), kv.ModRevision));
        }
        return result;
    }

    /// <exception cref="ResourceAlreadyExistsException">The affinity exists.</exception>
    public async Task<StoredAffinity> CreateAffinityAsync(string host, IPPrefix cidr, BlockAffinity value, CancellationToken ct)
    {
        var kv = await Store.CreateAsync(IpamKeys.Affinity(host, cidr), Encode(IpamJson.Serialize(value)), ct).ConfigureAwait(false);
        return new StoredAffinity(host, cidr, value, kv.ModRevision);
    }

    /// <exception cref="ResourceConflictException">The affinity changed since it was read.</exception>
    public async Task<StoredAffinity> UpdateAffinityAsync(StoredAffinity stored, string state, CancellationToken ct)
    {
        var value = stored.Value with { State = state };
        var kv = await Store.UpdateAsync(IpamKeys.Affinity(stored.Host, stored.Cidr), Encode(IpamJson.Serialize(value)), stored.Revision, ct)
            .ConfigureAwait(false);
        return stored with { Value = value, Revision = kv.ModRevision };
    }

    public Task DeleteAffinityAsync(StoredAffinity stored, CancellationToken ct) =>
        Store.DeleteAsync(IpamKeys.Affinity(stored.Host, stored.Cidr), stored.Revision, ct);

    // ---- handles ----

    public async Task<StoredHandle?> GetHandleAsync(string handleId, CancellationToken ct)
    {
        var kv = await Store.GetAsync(IpamKeys.Handle(handleId), ct).ConfigureAwait(false);
        return kv is null ? null : new StoredHandle(handleId, Decode(kv, IpamJson.DeserializeHandle), kv.ModRevision);
    }

    /// <summary>Creates (Revision 0) or compare-and-swaps the handle.</summary>
    public async Task<StoredHandle> PutHandleAsync(StoredHandle handle, CancellationToken ct)
    {
        var key = IpamKeys.Handle(handle.HandleId);
        var value = Encode(IpamJson.Serialize(handle.Value));
        var kv = handle.Revision == 0
            ? await Store.CreateAsync(key, value, ct).ConfigureAwait(false)
            : await Store.UpdateAsync(key, value, handle.Revision, ct).ConfigureAwait(false);
        return handle with { Revision = kv.ModRevision };
    }

    public Task DeleteHandleAsync(StoredHandle handle, CancellationToken ct) =>
        Store.DeleteAsync(IpamKeys.Handle(handle.HandleId), handle.Revision, ct);

    // ---- values ----

    private StoredBlock DecodeBlock(KeyValue kv)
    {
        var block = Decode(kv, (byte[] value) => IpamJson.DeserializeBlock(value));
        if (block.FindInconsistency() is { } problem)
            throw Corrupt(kv, $"block {block.Cidr} is inconsistent: {problem}");
        return new StoredBlock(block, kv.ModRevision);
    }

    private T Decode<T>(KeyValue kv, Func<string, T> decode) => Decode(kv, bytes => decode(Encoding.UTF8.GetString(bytes)));

    private T Decode<T>(KeyValue kv, Func<byte[], T> decode)
    {
        try
        {
            return decode(kv.Value);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw Corrupt(kv, ex.Message, ex);
        }
    }

    private DatastoreCorruptException Corrupt(KeyValue kv, string reason, Exception? inner = null) =>
        new($"{Store.DescribeKey(kv.Key)}: the IPAM value cannot be used: {reason}", Store.Location, kv.Key, reason, innerException: inner);

    private static byte[] Encode(string json) => Encoding.UTF8.GetBytes(json);
}
