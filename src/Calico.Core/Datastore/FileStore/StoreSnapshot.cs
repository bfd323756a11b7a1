using System.Buffers.Binary;
using System.Text;

namespace Calico.Datastore;

/// <summary>The counters etcd keeps per key; the file store keeps them in its journal and snapshot, never in the value file.</summary>
internal readonly record struct KeyMeta(long CreateRevision, long ModRevision, long Version);

/// <summary>
/// The index (key → counters) at one revision, and the journal segment that continues it. Written whole and renamed
/// into place when the journal is compacted. Format: "CALICOS1", revision i64, segment i64, count i32, then per key
/// (key as i32 length + UTF-8, createRevision i64, modRevision i64, version i64), then CRC-32 of all before it.
/// </summary>
internal sealed record StoreSnapshot(long Revision, long Segment, Dictionary<string, KeyMeta> Index)
{
    private static ReadOnlySpan<byte> Magic => "CALICOS1"u8;

    public byte[] Encode()
    {
        var size = 8 + 8 + 8 + 4 + 4;
        foreach (var key in Index.Keys) size += 4 + Encoding.UTF8.GetByteCount(key) + 24;
        var buffer = new byte[size];
        Magic.CopyTo(buffer);
        var pos = 8;
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(pos), Revision); pos += 8;
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(pos), Segment); pos += 8;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(pos), Index.Count); pos += 4;
        foreach (var (key, meta) in Index)
        {
            var n = Encoding.UTF8.GetBytes(key, buffer.AsSpan(pos + 4));
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(pos), n); pos += 4 + n;
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(pos), meta.CreateRevision); pos += 8;
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(pos), meta.ModRevision); pos += 8;
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(pos), meta.Version); pos += 8;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(pos), Crc32.Compute(buffer.AsSpan(0, pos)));
        return buffer;
    }

    /// <summary>Decodes a snapshot; the reason when it is damaged.</summary>
    public static StoreSnapshot? Decode(ReadOnlySpan<byte> data, out string? reason)
    {
        reason = null;
        if (data.Length < 32 || !data[..8].SequenceEqual(Magic)) { reason = "it does not start with the snapshot header"; return null; }
        var body = data[..^4];
        if (Crc32.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(data[^4..])) { reason = "its checksum does not match"; return null; }
        var pos = 8;
        var revision = BinaryPrimitives.ReadInt64LittleEndian(body[pos..]); pos += 8;
        var segment = BinaryPrimitives.ReadInt64LittleEndian(body[pos..]); pos += 8;
        var count = BinaryPrimitives.ReadInt32LittleEndian(body[pos..]); pos += 4;
        var index = new Dictionary<string, KeyMeta>(Math.Max(count, 0), StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (pos + 4 > body.Length) { reason = "it ends early"; return null; }
            var n = BinaryPrimitives.ReadInt32LittleEndian(body[pos..]); pos += 4;
            if (n < 0 || pos + n + 24 > body.Length) { reason = "it ends early"; return null; }
            var key = Encoding.UTF8.GetString(body.Slice(pos, n)); pos += n;
            var create = BinaryPrimitives.ReadInt64LittleEndian(body[pos..]); pos += 8;
            var mod = BinaryPrimitives.ReadInt64LittleEndian(body[pos..]); pos += 8;
            var version = BinaryPrimitives.ReadInt64LittleEndian(body[pos..]); pos += 8;
            index[key] = new KeyMeta(create, mod, version);
        }
        if (pos != body.Length) { reason = "it has bytes after its last key"; return null; }
        return new StoreSnapshot(revision, segment, index);
    }
}
