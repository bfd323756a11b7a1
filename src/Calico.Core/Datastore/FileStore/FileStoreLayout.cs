using System.Text;

namespace Calico.Datastore;

/// <summary>
/// Where things live in a file datastore. A key maps to the same path under the root
/// (/calico/ipam/v2/config → ROOT/calico/ipam/v2/config); the store's own files sit in ROOT/.store, a name no key
/// can take because a key segment that starts with '.' is written with the dot escaped.
/// </summary>
internal sealed class FileStoreLayout
{
    public const string StoreDirectoryName = ".store";

    public FileStoreLayout(string root)
    {
        Root = Path.GetFullPath(root);
        StoreDirectory = Path.Combine(Root, StoreDirectoryName);
        JournalDirectory = Path.Combine(StoreDirectory, "journal");
        LockFile = Path.Combine(StoreDirectory, "lock");
        SnapshotFile = Path.Combine(StoreDirectory, "snapshot");
        TempFile = Path.Combine(StoreDirectory, "tmp");
        BootFile = Path.Combine(StoreDirectory, "boot");
    }

    public string Root { get; }
    public string StoreDirectory { get; }
    public string JournalDirectory { get; }
    public string LockFile { get; }
    public string SnapshotFile { get; }
    /// <summary>The one scratch file: only the writer holding the exclusive lock uses it, so one name is enough.</summary>
    public string TempFile { get; }
    /// <summary>The boot id in which the value files were last checked against the journal.</summary>
    public string BootFile { get; }

    public string SegmentFile(long firstRevision) => Path.Combine(JournalDirectory, firstRevision.ToString("D20", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The first revisions of the journal segments on disk, oldest first.</summary>
    public List<long> ListSegments()
    {
        var bases = new List<long>();
        if (!Directory.Exists(JournalDirectory)) return bases;
        foreach (var path in Directory.EnumerateFiles(JournalDirectory))
        {
            var name = Path.GetFileName(path);
            if (name.Length == 20 && long.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b))
                bases.Add(b);
        }
        bases.Sort();
        return bases;
    }

    /// <summary>The value file of a key.</summary>
    /// <exception cref="ArgumentException">The key is not an absolute path with non-empty segments.</exception>
    public string ValueFile(string key)
    {
        if (string.IsNullOrEmpty(key) || key[0] != '/')
            throw new ArgumentException($"key {Quote(key)} must start with '/'", nameof(key));
        var segments = key.Substring(1).Split('/');
        var sb = new StringBuilder(Root.Length + key.Length + 8).Append(Root);
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
                throw new ArgumentException($"key {Quote(key)} has an empty segment, which the file datastore cannot hold", nameof(key));
            sb.Append(Path.DirectorySeparatorChar);
            var encoded = EncodeSegment(segment);
            if (Encoding.UTF8.GetByteCount(encoded) > 255)
                throw new ArgumentException($"key {Quote(key)} has a segment longer than a file name can be (255 bytes)", nameof(key));
            sb.Append(encoded);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A key segment as a file name: '%', control characters and a leading '.' (which would make ".", "..",
    /// or a name that could clash with .store) are percent-encoded as UTF-8 bytes; everything else is kept.
    /// </summary>
    internal static string EncodeSegment(string segment)
    {
        var needs = segment[0] == '.';
        foreach (var c in segment)
            if (c == '%' || char.IsControl(c) || c == '\\') { needs = true; break; }
        if (!needs) return segment;
        var sb = new StringBuilder(segment.Length + 8);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%' || char.IsControl(c) || c == '\\' || (i == 0 && c == '.'))
            {
                var n = Encoding.UTF8.GetBytes(segment.AsSpan(i, 1), bytes);
                for (var j = 0; j < n; j++) sb.Append('%').Append(bytes[j].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Quote(string? key) => Calico.Serialization.FieldError.Quote(key ?? "");
}
