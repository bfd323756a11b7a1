using System.Buffers.Binary;
using System.Text;

namespace Calico.Datastore;

internal enum JournalRecordType : byte
{
    Put = 1,
    Delete = 2,
    /// <summary>Ends a segment and names the next one (compaction started a new segment).</summary>
    Seal = 3,
}

/// <summary>
/// One journal record: a committed write with everything needed to redo it and to report it to a watcher.
/// On disk: u32 payload length, u32 CRC-32 of the payload, payload (little-endian):
/// type u8, revision i64, then for Put: createRevision i64, version i64, key, value, prevModRevision i64 (0 = none), prevValue;
/// for Delete: key, prevCreateRevision i64, prevModRevision i64, prevVersion i64, prevValue; for Seal: nextSegment i64.
/// Strings and byte arrays are i32 length + bytes.
/// </summary>
internal sealed record JournalRecord(
    JournalRecordType Type,
    long Revision,
    string Key = "",
    byte[]? Value = null,
    long CreateRevision = 0,
    long Version = 0,
    long PrevModRevision = 0,
    long PrevCreateRevision = 0,
    long PrevVersion = 0,
    byte[]? PrevValue = null,
    long NextSegment = 0)
{
    public const int HeaderSize = 8;

    public static JournalRecord Put(long revision, string key, byte[] value, long createRevision, long version, long prevModRevision, byte[]? prevValue) =>
        new(JournalRecordType.Put, revision, key, value, createRevision, version, PrevModRevision: prevModRevision, PrevValue: prevValue);

    public static JournalRecord Delete(long revision, string key, long prevCreateRevision, long prevModRevision, long prevVersion, byte[]? prevValue) =>
        new(JournalRecordType.Delete, revision, key, PrevModRevision: prevModRevision, PrevCreateRevision: prevCreateRevision, PrevVersion: prevVersion, PrevValue: prevValue);

    public static JournalRecord Seal(long revision, long nextSegment) => new(JournalRecordType.Seal, revision, NextSegment: nextSegment);

    public byte[] Encode()
    {
        var keyBytes = Encoding.UTF8.GetBytes(Key);
        var size = 1 + 8 + Type switch
        {
            JournalRecordType.Put => 8 + 8 + 4 + keyBytes.Length + 4 + (Value?.Length ?? 0) + 8 + 4 + (PrevValue?.Length ?? 0),
            JournalRecordType.Delete => 4 + keyBytes.Length + 8 + 8 + 8 + 4 + (PrevValue?.Length ?? 0),
            _ => 8,
        };
        var buffer = new byte[HeaderSize + size];
        var w = new Writer(buffer.AsSpan(HeaderSize));
        w.Byte((byte)Type);
        w.Long(Revision);
        switch (Type)
        {
            case JournalRecordType.Put:
                w.Long(CreateRevision); w.Long(Version); w.Bytes(keyBytes); w.Bytes(Value); w.Long(PrevModRevision); w.Bytes(PrevValue);
                break;
            case JournalRecordType.Delete:
                w.Bytes(keyBytes); w.Long(PrevCreateRevision); w.Long(PrevModRevision); w.Long(PrevVersion); w.Bytes(PrevValue);
                break;
            default:
                w.Long(NextSegment);
                break;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), Crc32.Compute(buffer.AsSpan(HeaderSize)));
        return buffer;
    }

    /// <summary>Decodes a payload whose CRC has been checked; false when its fields do not fit (a damaged record).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out JournalRecord record)
    {
        record = null!;
        var r = new Reader(payload);
        if (!r.Byte(out var type) || !r.Long(out var revision)) return false;
        switch ((JournalRecordType)type)
        {
            case JournalRecordType.Put:
                if (!r.Long(out var create) || !r.Long(out var version) || !r.Text(out var key)
                    || !r.Bytes(out var value) || !r.Long(out var prevMod) || !r.Bytes(out var prevValue)) return false;
                record = new JournalRecord(JournalRecordType.Put, revision, key, value, create, version, PrevModRevision: prevMod, PrevValue: prevMod == 0 ? null : prevValue);
                return r.AtEnd;
            case JournalRecordType.Delete:
                if (!r.Text(out var dkey) || !r.Long(out var pCreate) || !r.Long(out var pMod) || !r.Long(out var pVersion)
                    || !r.Bytes(out var pValue)) return false;
                record = Delete(revision, dkey, pCreate, pMod, pVersion, pValue);
                return r.AtEnd;
            case JournalRecordType.Seal:
                if (!r.Long(out var next)) return false;
                record = Seal(revision, next);
                return r.AtEnd;
            default:
                return false;
        }
    }

    private ref struct Writer(Span<byte> span)
    {
        private readonly Span<byte> _span = span;
        private int _pos;

        public void Byte(byte b) => _span[_pos++] = b;
        public void Long(long v) { BinaryPrimitives.WriteInt64LittleEndian(_span[_pos..], v); _pos += 8; }
        public void Bytes(byte[]? bytes)
        {
            var n = bytes?.Length ?? 0;
            BinaryPrimitives.WriteInt32LittleEndian(_span[_pos..], n);
            _pos += 4;
            bytes?.CopyTo(_span[_pos..]);
            _pos += n;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> _span = span;
        private int _pos;

        public readonly bool AtEnd => _pos == _span.Length;

        public bool Byte(out byte b)
        {
            b = 0;
            if (_pos + 1 > _span.Length) return false;
            b = _span[_pos++];
            return true;
        }

        public bool Long(out long v)
        {
            v = 0;
            if (_pos + 8 > _span.Length) return false;
            v = BinaryPrimitives.ReadInt64LittleEndian(_span[_pos..]);
            _pos += 8;
            return true;
        }

        public bool Bytes(out byte[]? bytes)
        {
            bytes = null;
            if (_pos + 4 > _span.Length) return false;
            var n = BinaryPrimitives.ReadInt32LittleEndian(_span[_pos..]);
            _pos += 4;
            if (n < 0 || _pos + n > _span.Length) return false;
            bytes = _span.Slice(_pos, n).ToArray();
            _pos += n;
            return true;
        }

        public bool Text(out string text)
        {
            text = "";
            if (!Bytes(out var bytes)) return false;
            text = Encoding.UTF8.GetString(bytes!);
            return true;
        }
    }
}
