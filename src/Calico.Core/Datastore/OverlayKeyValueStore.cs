namespace Calico.Datastore;

/// <summary>
/// A store that reads through to another and keeps its own writes in memory: a sandbox in which a whole operation
/// (an import of many documents, a node registration with its IPAM allocations) runs with every real rule and check,
/// each step seeing the steps before it, while the real store is never written. -WhatIf previews run here.
/// </summary>
public sealed class OverlayKeyValueStore : IKeyValueStore
{
    private readonly IKeyValueStore _inner;
    // A key's overlay state: its value, or null for a key deleted in the overlay.
    private readonly Dictionary<string, KeyValue?> _overlay = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private long _revision;

    public OverlayKeyValueStore(IKeyValueStore inner)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    }

    public string Location => _inner.Location + " (preview: nothing is written)";

    public string DescribeKey(string key) => _inner.DescribeKey(key);

    public Task CheckAsync(CancellationToken cancellationToken = default) => _inner.CheckAsync(cancellationToken);

    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_overlay.TryGetValue(key, out var local)) return local;
        }
        var stored = await _inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is not null) Observe(stored.ModRevision);
        return stored;
    }

    public async Task<KeyValueList> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var stored = await _inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false);
        Observe(stored.Revision);
        lock (_lock)
        {
            var merged = new SortedDictionary<string, KeyValue>(StringComparer.Ordinal);
            foreach (var item in stored.Items) merged[item.Key] = item;
            foreach (var (key, local) in _overlay)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                if (local is null) merged.Remove(key); else merged[key] = local;
            }
            var errors = stored.Errors.Where(e => e.Key is null || !_overlay.ContainsKey(e.Key)).ToList();
            return new KeyValueList(merged.Values.ToList(), _revision, errors);
        }
    }

    public async Task<KeyValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_overlay.TryGetValue(key, out var local)) current = local;
            if (current is not null)
                throw new ResourceAlreadyExistsException($"{DescribeKey(key)} already exists in {Location}", Location, key, current);
            var revision = ++_revision;
            return (_overlay[key] = new KeyValue(key, value, revision, revision, 1))!;
        }
    }

    public async Task<KeyValue> UpdateAsync(string key, byte[] value, long modRevision, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_overlay.TryGetValue(key, out var local)) current = local;
            if (current is null) throw new ResourceNotFoundException($"{DescribeKey(key)} does not exist in {Location}", Location, key);
            if (current.ModRevision != modRevision)
                throw new ResourceConflictException($"{DescribeKey(key)} changed since revision {modRevision} in {Location}", Location, key, current);
            var revision = ++_revision;
            return (_overlay[key] = new KeyValue(key, value, revision, current.CreateRevision, current.Version + 1))!;
        }
    }

    public async Task<KeyValue> DeleteAsync(string key, long? modRevision = null, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_overlay.TryGetValue(key, out var local)) current = local;
            if (current is null) throw new ResourceNotFoundException($"{DescribeKey(key)} does not exist in {Location}", Location, key);
            if (modRevision is { } expected && current.ModRevision != expected)
                throw new ResourceConflictException($"{DescribeKey(key)} changed since revision {expected} in {Location}", Location, key, current);
            _overlay[key] = null;
            ++_revision;
            return current;
        }
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A preview store cannot be watched.");

    // Overlay revisions stay above everything read from the real store, as a real store's would.
    private void Observe(long revision)
    {
        lock (_lock)
        {
            if (revision > _revision) _revision = revision;
        }
    }

    /// <summary>The real store is the caller's; nothing here needs releasing.</summary>
    public void Dispose()
    {
    }
}
