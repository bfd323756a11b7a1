using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Calico.Datastore;

/// <summary>
/// Reading a journal segment: an 8-byte magic, then records (see <see cref="JournalRecord"/>). A segment only grows,
/// so readers parse what is complete and come back for the rest.
/// </summary>
internal static class JournalSegment
{
    public static ReadOnlySpan<byte> Magic => "CALICOJ1"u8;
    public const int HeaderLength = 8;
    private const int MaxRecordLength = 256 << 20;

    public enum Status
    {
        Record,
        /// <summary>The bytes end inside a record: a writer is appending it, or one was killed while appending it.</summary>
        Incomplete,
        /// <summary>Nothing but zero bytes remain: space a crash left allocated but never written.</summary>
        ZeroTail,
        /// <summary>A full-length record whose checksum or fields are wrong.</summary>
        Damaged,
    }

    public static Status Parse(ReadOnlySpan<byte> data, out JournalRecord record, out int size)
    {
        record = null!;
        size = 0;
        if (data.Length == 0) return Status.Incomplete;
        if (data.IndexOfAnyExcept((byte)0) < 0) return Status.ZeroTail;
        if (data.Length < JournalRecord.HeaderSize) return Status.Incomplete;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (length == 0 || length > MaxRecordLength) return Status.Damaged;
        if (data.Length < JournalRecord.HeaderSize + (long)length) return Status.Incomplete;
        var payload = data.Slice(JournalRecord.HeaderSize, (int)length);
        if (Crc32.Compute(payload) != crc || !JournalRecord.TryDecode(payload, out record)) return Status.Damaged;
        size = JournalRecord.HeaderSize + (int)length;
        return Status.Record;
    }

    public static SafeFileHandle? TryOpenRead(string path)
    {
        try
        {
            return System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>Reads the bytes of an open segment from <paramref name="offset"/> to its current end.</summary>
    public static byte[] ReadFrom(SafeFileHandle handle, long offset)
    {
        var length = RandomAccess.GetLength(handle);
        if (length <= offset) return Array.Empty<byte>();
        var buffer = new byte[length - offset];
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(done), offset + done);
            if (n == 0) break;
            done += n;
        }
        return done == buffer.Length ? buffer : buffer.AsSpan(0, done).ToArray();
    }

    public static bool HasMagic(ReadOnlySpan<byte> header) => header.Length >= HeaderLength && header[..HeaderLength].SequenceEqual(Magic);
}
