using System.Runtime.CompilerServices;

namespace Calico.Datastore;

/// <summary>Tuning for the file datastore; the defaults suit interactive use.</summary>
public sealed record FileStoreOptions
{
    /// <summary>How long to wait for another process's lock before giving up with a clear error.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A journal segment larger than this is closed and the index snapshotted (compaction).</summary>
    public long SegmentBytes { get; init; } = 8 << 20;

    /// <summary>How often a watch looks for new journal records.</summary>
    public TimeSpan WatchPollInterval { get; init; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>
/// The embedded datastore: a directory that mirrors Calico's etcd keys, one file per key holding exactly the bytes
/// Calico stores in etcd. Revisions live in a journal beside it (ROOT/.store), so resourceVersion means the same as
/// on etcd. Safe for several processes at once; see docs/file-datastore.md for the layout and the crash rules.
/// </summary>
public sealed class FileKeyValueStore : IKeyValueStore
{
    private readonly FileStoreLayout _layout;
    private readonly FileStoreOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The index as of (_segment, _offset) in the journal; guarded by _gate.
    private readonly Dictionary<string, KeyMeta> _index = new(StringComparer.Ordinal);
    private bool _loaded;
    private long _revision = InitialRevision;
    private long _segment;
    private long _offset;
    // The newest put or delete read from the journal: the only one a killed writer can have left unapplied.
    private JournalRecord? _last;
    private long _appliedRevision;
    private long _snapshotSegment;
    // Whether this process has seen the value files checked against the journal since the machine booted.
    private bool _bootChecked;

    /// <summary>Value files need flushing only where a machine crash cannot be recognised by a new boot id.</summary>
    private static bool FlushValues => BootId.Current is null;

    /// <summary>The revision of an empty store, as on a new etcd cluster; the first write is revision 2.</summary>
    internal const long InitialRevision = 1;

    public FileKeyValueStore(string path, FileStoreOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("the file datastore path is empty", nameof(path));
        _layout = new FileStoreLayout(path);
        _options = options ?? new FileStoreOptions();
        if (StoreLock.FileLockingDisabled)
            throw new DatastoreConfigurationException(
                $"{Location} needs file locking, but .NET file locking is disabled (DOTNET_SYSTEM_IO_DISABLEFILELOCKING or System.IO.DisableFileLocking)",
                Location);
    }

    /// <summary>$XDG_DATA_HOME/calico/datastore, else ~/.local/share/calico/datastore (the local application data folder on Windows).</summary>
    public static string DefaultPath
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (!string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)) return System.IO.Path.Combine(xdg, "calico", "datastore");
            if (OperatingSystem.IsWindows())
                return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "calico", "datastore");
            return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "calico", "datastore");
        }
    }

    /// <summary>The datastore directory.</summary>
    public string Path => _layout.Root;

    public string Location => $"file datastore {_layout.Root}";

    public string DescribeKey(string key)
    {
        try { return $"key {key} (file {_layout.ValueFile(key)})"; }
        catch (ArgumentException) { return $"key {key} in {Location}"; }
    }

    public void Dispose() => _gate.Dispose();

    // Taking the write lock creates the store's directory and lock file, which proves both can be written.
    public Task CheckAsync(CancellationToken cancellationToken = default) => WriteAsync("/", "open", () => true, cancellationToken);

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        _layout.ValueFile(key);
        return ReadAsync(key, () => _index.TryGetValue(key, out var meta) ? new KeyValue(key, ReadValue(key, meta), meta.ModRevision, meta.CreateRevision, meta.Version) : null,
            cancellationToken);
    }

    public Task<KeyValueList> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        ReadAsync(prefix, () =>
        {
            var keys = new List<string>();
            foreach (var key in _index.Keys)
                if (key.StartsWith(prefix, StringComparison.Ordinal)) keys.Add(key);
            keys.Sort(StringComparer.Ordinal);
            // One file per key: read them on every core, keeping key order.
            var results = new (KeyValue? Item, DatastoreCorruptException? Error)[keys.Count];
            Parallel.For(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = keys.Count < 64 ? 1 : -1 }, i =>
            {
                var key = keys[i];
                var meta = _index[key];
                try { results[i] = (new KeyValue(key, ReadValue(key, meta), meta.ModRevision, meta.CreateRevision, meta.Version), null); }
                catch (DatastoreCorruptException ex) { results[i] = (null, ex); }
            });
            return new KeyValueList(
                results.Where(r => r.Item is not null).Select(r => r.Item!).ToList(),
                _revision,
                results.Where(r => r.Error is not null).Select(r => r.Error!).ToList());
        }, cancellationToken);

    public Task<KeyValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default) =>
        WriteAsync(key, "create", () =>
        {
            if (_index.TryGetValue(key, out var existing))
                throw new ResourceAlreadyExistsException($"{DescribeKey(key)} already exists in {Location}", Location, key, TryCurrent(key, existing));
            CheckPathIsFree(key);
            var revision = _revision + 1;
            var record = JournalRecord.Put(revision, key, value, revision, 1, 0, null);
            Commit(record);
            Apply(record);
            return new KeyValue(key, value, revision, revision, 1);
        }, cancellationToken);

    public Task<KeyValue> UpdateAsync(string key, byte[] value, long modRevision, CancellationToken cancellationToken = default) =>
        WriteAsync(key, "update", () =>
        {
            var meta = Expect(key, modRevision);
            var revision = _revision + 1;
            var record = JournalRecord.Put(revision, key, value, meta.CreateRevision, meta.Version + 1, meta.ModRevision, TryReadValue(key, meta));
            Commit(record);
            Apply(record);
            return new KeyValue(key, value, revision, meta.CreateRevision, meta.Version + 1);
        }, cancellationToken);

    public Task<KeyValue> DeleteAsync(string key, long? modRevision = null, CancellationToken cancellationToken = default) =>
        WriteAsync(key, "delete", () =>
        {
            var meta = Expect(key, modRevision);
            var previous = TryReadValue(key, meta);
            var record = JournalRecord.Delete(_revision + 1, key, meta.CreateRevision, meta.ModRevision, meta.Version, previous);
            Commit(record);
            Apply(record);
            return new KeyValue(key, previous ?? Array.Empty<byte>(), meta.ModRevision, meta.CreateRevision, meta.Version);
        }, cancellationToken);

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default) =>
        FileStoreWatch.Run(_layout, Location, prefix, afterRevision, _options.WatchPollInterval, cancellationToken);

    /// <summary>
    /// Closes the current journal segment and snapshots the index now, as a large journal would. Without
    /// <paramref name="keepHistory"/> the segment just closed goes too, so no watch can start before now; for tests.
    /// </summary>
    internal Task CompactAsync(bool keepHistory = true, CancellationToken cancellationToken = default) =>
        WriteAsync("/", "compact", () => { Compact(keepHistory); return 0; }, cancellationToken);

    // ---- operations under the lock ----

    private async Task<T> ReadAsync<T>(string key, Func<T> body, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (NeedsBootCheck()) await CheckAfterRebootAsync(cancellationToken).ConfigureAwait(false);
            using var storeLock = await StoreLock.AcquireAsync(_layout.LockFile, exclusive: false, _options.LockTimeout, Location, cancellationToken).ConfigureAwait(false);
            if (storeLock is null) ResetToEmpty();
            else CatchUp(writer: false);
            return body();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _loaded = false;
            throw new DatastoreException($"{Location}: cannot read {key}: {ex.Message}", Location, key, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<T> WriteAsync<T>(string key, string verb, Func<T> body, CancellationToken cancellationToken)
    {
        if (key != "/") _layout.ValueFile(key);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DurableFile.EnsureDirectory(_layout.StoreDirectory);
            using var storeLock = await StoreLock.AcquireAsync(_layout.LockFile, exclusive: true, _options.LockTimeout, Location, cancellationToken).ConfigureAwait(false);
            EnsureInitialized();
            CatchUp(writer: true);
            RecoverLast();
            CheckBoot();
            var result = body();
            if (_options.SegmentBytes > 0 && _offset > _options.SegmentBytes) Compact(keepHistory: true);
            return result;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _loaded = false;
            throw new DatastoreException($"{Location}: cannot {verb} {DescribeKey(key)}: {ex.Message}", Location, key, ex);
        }
        catch (Exception ex) when (ex is not (ResourceAlreadyExistsException or ResourceNotFoundException or ResourceConflictException or OperationCanceledException))
        {
            _loaded = false;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private KeyMeta Expect(string key, long? modRevision)
    {
        if (!_index.TryGetValue(key, out var meta))
            throw new ResourceNotFoundException($"{DescribeKey(key)} does not exist in {Location}", Location, key);
        if (modRevision is { } expected && meta.ModRevision != expected)
            throw new ResourceConflictException(
                $"{DescribeKey(key)} was changed since revision {expected} (it is now at revision {meta.ModRevision}) in {Location}",
                Location, key, TryCurrent(key, meta));
        return meta;
    }

    private KeyValue? TryCurrent(string key, KeyMeta meta)
    {
        var value = TryReadValue(key, meta);
        return value is null ? null : new KeyValue(key, value, meta.ModRevision, meta.CreateRevision, meta.Version);
    }

    private byte[]? TryReadValue(string key, KeyMeta meta)
    {
        try { return ReadValue(key, meta); }
        catch (DatastoreCorruptException) { return null; }
    }

    /// <summary>
    /// The committed value of a key. The newest journal record wins over its file, which a killed writer may not
    /// have replaced yet; every older record is known to be applied.
    /// </summary>
    private byte[] ReadValue(string key, KeyMeta meta)
    {
        if (_last is { Type: JournalRecordType.Put } last && last.Revision == meta.ModRevision && last.Key == key) return last.Value!;
        var path = _layout.ValueFile(key);
        try
        {
            return System.IO.File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Corrupt(key, path, "its value file is missing", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Corrupt(key, path, "its value file cannot be read: " + ex.Message, ex);
        }
    }

    private DatastoreCorruptException Corrupt(string key, string path, string reason, Exception? inner = null) =>
        new($"{Location}: key {key} (file {path}): {reason}", Location, key, reason, null, inner);

    /// <summary>A new key needs a path no other key's file or directory is in the way of (etcd has no directories).</summary>
    private void CheckPathIsFree(string key)
    {
        var path = _layout.ValueFile(key);
        for (var dir = System.IO.Path.GetDirectoryName(path); dir is not null && dir.Length > _layout.Root.Length; dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (System.IO.File.Exists(dir))
                throw new DatastoreException($"{Location} cannot hold key {key}: {dir} is the value file of a shorter key", Location, key);
        }
        if (Directory.Exists(path))
        {
            if (Directory.EnumerateFileSystemEntries(path).Any())
                throw new DatastoreException($"{Location} cannot hold key {key}: {path} is a directory holding longer keys", Location, key);
            Directory.Delete(path);
        }
    }

    // ---- journal ----

    private void ResetToEmpty()
    {
        _index.Clear();
        _revision = InitialRevision;
        _last = null;
        _loaded = false;
    }

    private void EnsureInitialized()
    {
        if (System.IO.File.Exists(_layout.SnapshotFile)) return;
        if (_layout.ListSegments().Count > 0)
            throw new DatastoreCorruptException($"{Location}: the snapshot {_layout.SnapshotFile} is missing but the journal is not", Location, null, "snapshot missing");
        DurableFile.EnsureDirectory(_layout.JournalDirectory);
        var first = InitialRevision + 1;
        DurableFile.WriteAtomic(_layout.TempFile, _layout.SegmentFile(first), JournalSegment.Magic);
        var snapshot = new StoreSnapshot(InitialRevision, first, new Dictionary<string, KeyMeta>(StringComparer.Ordinal));
        DurableFile.WriteAtomic(_layout.TempFile, _layout.SnapshotFile, snapshot.Encode());
    }

    private void LoadSnapshot()
    {
        byte[] data;
        try
        {
            data = System.IO.File.ReadAllBytes(_layout.SnapshotFile);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // The lock file exists but the first writer has not finished creating the store: it is still empty.
            ResetToEmpty();
            return;
        }
        var snapshot = StoreSnapshot.Decode(data, out var reason)
            ?? throw new DatastoreCorruptException($"{Location}: the snapshot {_layout.SnapshotFile} is damaged: {reason}", Location, null, reason!);
        _index.Clear();
        foreach (var (k, v) in snapshot.Index) _index[k] = v;
        _revision = snapshot.Revision;
        _segment = snapshot.Segment;
        _snapshotSegment = snapshot.Segment;
        _offset = 0;
        _last = null;
        _loaded = true;
    }

    /// <summary>
    /// Brings the index up to the end of the journal. A writer also cuts off a record a killed writer left half
    /// appended and creates a segment a killed compaction announced but did not create.
    /// </summary>
    private void CatchUp(bool writer)
    {
        if (!_loaded) LoadSnapshot();
        if (!_loaded) return;
        while (true)
        {
            var path = _layout.SegmentFile(_segment);
            using var handle = JournalSegment.TryOpenRead(path);
            if (handle is null)
            {
                if (_offset != 0)
                {
                    // Compacted away while this process was behind: start again from the newer snapshot.
                    LoadSnapshot();
                    if (!_loaded) return;
                    continue;
                }
                if (!writer) return;
                DurableFile.WriteAtomic(_layout.TempFile, path, JournalSegment.Magic);
                _offset = JournalSegment.HeaderLength;
                return;
            }
            var data = JournalSegment.ReadFrom(handle, _offset);
            var pos = 0;
            if (_offset == 0)
            {
                if (data.Length < JournalSegment.HeaderLength)
                {
                    if (!writer) return;
                    handle.Dispose();
                    DurableFile.WriteAtomic(_layout.TempFile, path, JournalSegment.Magic);
                    _offset = JournalSegment.HeaderLength;
                    return;
                }
                if (!JournalSegment.HasMagic(data))
                    throw new DatastoreCorruptException($"{Location}: journal segment {path} does not start with the journal header", Location, null, "bad journal header");
                pos = JournalSegment.HeaderLength;
            }
            var sealedTo = 0L;
            while (true)
            {
                var status = JournalSegment.Parse(data.AsSpan(pos), out var record, out var size);
                if (status == JournalSegment.Status.Record)
                {
                    pos += size;
                    if (record.Type == JournalRecordType.Seal) { sealedTo = record.NextSegment; break; }
                    ApplyToIndex(record);
                    continue;
                }
                if (status == JournalSegment.Status.Damaged)
                    throw new DatastoreCorruptException(
                        $"{Location}: journal segment {path} is damaged at byte {_offset + pos}: a record's checksum or fields do not match",
                        Location, null, "damaged journal record");
                if (writer && pos < data.Length)
                {
                    // Only a writer killed while appending leaves these bytes, and it never committed them.
                    handle.Dispose();
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
                    stream.SetLength(_offset + pos);
                    stream.Flush(flushToDisk: true);
                }
                break;
            }
            _offset += pos;
            if (sealedTo == 0) return;
            _segment = sealedTo;
            _offset = 0;
        }
    }

    private void ApplyToIndex(JournalRecord record)
    {
        if (record.Revision <= _revision) return;
        if (record.Type == JournalRecordType.Put) _index[record.Key] = new KeyMeta(record.CreateRevision, record.Revision, record.Version);
        else _index.Remove(record.Key);
        _revision = record.Revision;
        _last = record;
    }

    /// <summary>The commit point: once the record is on disk the write has happened, whatever befalls the value file.</summary>
    private void Commit(JournalRecord record)
    {
        var bytes = record.Encode();
        var path = _layout.SegmentFile(_segment);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            stream.Position = _offset;
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        _offset += bytes.Length;
        ApplyToIndex(record);
    }

    private void Apply(JournalRecord record)
    {
        Redo(record, FlushValues);
        _appliedRevision = record.Revision;
    }

    private void Redo(JournalRecord record, bool flush)
    {
        var path = _layout.ValueFile(record.Key);
        if (record.Type == JournalRecordType.Put)
        {
            DurableFile.EnsureDirectory(System.IO.Path.GetDirectoryName(path)!, flush);
            DurableFile.WriteAtomic(_layout.TempFile, path, record.Value, flush);
        }
        else if (System.IO.File.Exists(path))
        {
            DurableFile.Delete(path, flush);
        }
    }

    private bool NeedsBootCheck() =>
        !_bootChecked && BootId.Current is { } boot && System.IO.File.Exists(_layout.SnapshotFile) && ReadBootFile() != boot;

    private string? ReadBootFile()
    {
        try { return System.IO.File.ReadAllText(_layout.BootFile).Trim(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>A reader that finds the machine rebooted since the last check does the check first, if it may write.</summary>
    private async Task CheckAfterRebootAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var storeLock = await StoreLock.AcquireAsync(_layout.LockFile, exclusive: true, _options.LockTimeout, Location, cancellationToken).ConfigureAwait(false);
            CatchUp(writer: true);
            RecoverLast();
            CheckBoot();
        }
        catch (UnauthorizedAccessException)
        {
            // A user who may only read the store reads what is there.
            _bootChecked = true;
        }
    }

    /// <summary>
    /// After a machine crash, value files written since the snapshot may be older than the journal: rewrite each
    /// key's latest journal state, flushed, then record this boot as checked.
    /// </summary>
    private void CheckBoot()
    {
        if (_bootChecked || BootId.Current is not { } boot) return;
        if (ReadBootFile() != boot)
        {
            var latest = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);
            foreach (var record in RecordsSinceSnapshot()) latest[record.Key] = record;
            foreach (var record in latest.Values)
            {
                var path = _layout.ValueFile(record.Key);
                var exists = System.IO.File.Exists(path);
                if (record.Type == JournalRecordType.Put && exists && System.IO.File.ReadAllBytes(path).AsSpan().SequenceEqual(record.Value)) continue;
                if (record.Type == JournalRecordType.Delete && !exists) continue;
                Redo(record, flush: true);
            }
            DurableFile.SyncFileSystem(_layout.Root);
            DurableFile.WriteAtomic(_layout.TempFile, _layout.BootFile, System.Text.Encoding.UTF8.GetBytes(boot));
        }
        _appliedRevision = _revision;
        _bootChecked = true;
    }

    /// <summary>Every complete put and delete in the journal after the snapshot, oldest first.</summary>
    private IEnumerable<JournalRecord> RecordsSinceSnapshot()
    {
        for (var segment = _snapshotSegment; segment != 0;)
        {
            using var handle = JournalSegment.TryOpenRead(_layout.SegmentFile(segment));
            if (handle is null) yield break;
            var data = JournalSegment.ReadFrom(handle, 0);
            if (!JournalSegment.HasMagic(data)) yield break;
            var pos = JournalSegment.HeaderLength;
            var next = 0L;
            while (JournalSegment.Parse(data.AsSpan(pos), out var record, out var size) == JournalSegment.Status.Record)
            {
                pos += size;
                if (record.Type == JournalRecordType.Seal) { next = record.NextSegment; break; }
                yield return record;
            }
            segment = next;
        }
    }

    /// <summary>Finishes the newest write if its writer was killed between the commit and the value file.</summary>
    private void RecoverLast()
    {
        if (_last is not { } last || last.Revision <= _appliedRevision) return;
        var path = _layout.ValueFile(last.Key);
        if (last.Type == JournalRecordType.Put)
        {
            byte[]? current = null;
            try { current = System.IO.File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { }
            if (current is not null && current.AsSpan().SequenceEqual(last.Value)) { _appliedRevision = last.Revision; return; }
        }
        Apply(last);
    }

    /// <summary>
    /// Seals the current segment, starts the next, snapshots the index and drops segments older than the one just
    /// sealed, which stays so watchers that are a little behind can still catch up.
    /// </summary>
    private void Compact(bool keepHistory)
    {
        var sealedSegment = _segment;
        var next = _revision + 1;
        if (next == sealedSegment) return; // nothing written to this segment yet
        Commit(JournalRecord.Seal(_revision, next));
        DurableFile.WriteAtomic(_layout.TempFile, _layout.SegmentFile(next), JournalSegment.Magic);
        _segment = next;
        _offset = JournalSegment.HeaderLength;
        // The snapshot ends the journal's duty to redo older writes, so their value files must be on disk first.
        if (!FlushValues) DurableFile.SyncFileSystem(_layout.Root);
        var snapshot = new StoreSnapshot(_revision, next, _index);
        DurableFile.WriteAtomic(_layout.TempFile, _layout.SnapshotFile, snapshot.Encode());
        _snapshotSegment = next;
        var oldest = keepHistory ? sealedSegment : next;
        foreach (var b in _layout.ListSegments())
            if (b < oldest) System.IO.File.Delete(_layout.SegmentFile(b));
    }
}
