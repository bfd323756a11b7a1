using System.Collections.Concurrent;
using System.Diagnostics;
using Calico.Datastore;

namespace Calico.Benchmarks.Harness;

/// <summary>
/// A store that passes every call to another and counts it: calls, items listed and time spent, per operation. It shows
/// how many round trips a command makes and how much it reads, which is what a profile of a datastore path needs.
/// </summary>
internal sealed class CountingStore(IKeyValueStore inner) : ITransactionalKeyValueStore
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    private sealed class Counter
    {
        public int Calls;
        public long Items;
        public long Ticks;
    }

    /// <summary>Per operation: calls, items (keys listed, or values written), milliseconds in the store.</summary>
    public object Report() => _counters.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(
        c => c.Key, c => new { calls = c.Value.Calls, items = c.Value.Items, ms = Math.Round(Stopwatch.GetElapsedTime(0, c.Value.Ticks).TotalMilliseconds) });

    public double TotalMs => _counters.Values.Sum(c => Stopwatch.GetElapsedTime(0, c.Ticks).TotalMilliseconds);

    public string Location => inner.Location;
    public string DescribeKey(string key) => inner.DescribeKey(key);
    public Task CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);
    public void Dispose() => inner.Dispose();

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Count("get " + Kind(key), () => inner.GetAsync(key, cancellationToken), _ => 1);

    public Task<KeyValueList> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        Count("list " + Kind(prefix), () => inner.ListAsync(prefix, cancellationToken), l => l.Items.Count);

    public Task<KeyValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default) =>
        Count("create " + Kind(key), () => inner.CreateAsync(key, value, cancellationToken), _ => 1);

    public Task<KeyValue> UpdateAsync(string key, byte[] value, long modRevision, CancellationToken cancellationToken = default) =>
        Count("update " + Kind(key), () => inner.UpdateAsync(key, value, modRevision, cancellationToken), _ => 1);

    public Task<KeyValue> DeleteAsync(string key, long? modRevision = null, CancellationToken cancellationToken = default) =>
        Count("delete " + Kind(key), () => inner.DeleteAsync(key, modRevision, cancellationToken), _ => 1);

    // Transactions pass through when the store has them (etcd); otherwise a writer of many keys falls back as it would.
    public int MaxWritesPerTransaction => (inner as ITransactionalKeyValueStore)?.MaxWritesPerTransaction ?? 1;

    public Task<IReadOnlyList<KeyValue>?> TryCommitAsync(IReadOnlyList<KeyWrite> writes, CancellationToken cancellationToken = default) =>
        inner is ITransactionalKeyValueStore transactional
            ? Count("commit " + Kind(writes[0].Key), () => transactional.TryCommitAsync(writes, cancellationToken), r => r?.Count ?? 0)
            : throw new NotSupportedException($"{inner.Location} has no transactions");

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, afterRevision, cancellationToken);

    private async Task<T> Count<T>(string what, Func<Task<T>> call, Func<T, int> items)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await call();
        var counter = _counters.GetOrAdd(what, _ => new Counter());
        Interlocked.Increment(ref counter.Calls);
        Interlocked.Add(ref counter.Items, items(result));
        Interlocked.Add(ref counter.Ticks, Stopwatch.GetTimestamp() - start);
        return result;
    }

    // "/calico/resources/v3/projectcalico.org/ippools/x" → "ippools"; "/calico/ipam/v2/assignment/…" → "ipam assignment".
    private static string Kind(string key)
    {
        var parts = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            > 4 when parts[1] == "resources" => parts[4],
            > 3 when parts[1] == "ipam" => "ipam " + parts[3],
            _ => key,
        };
    }
}
