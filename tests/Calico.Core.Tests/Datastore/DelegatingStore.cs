using Calico.Datastore;

namespace Calico.Tests.Datastore;

/// <summary>A store that passes every call to another; a test double overrides only the calls it watches or changes.</summary>
public abstract class DelegatingStore(IKeyValueStore inner) : IKeyValueStore
{
    protected IKeyValueStore Inner { get; } = inner;

    public string Location => Inner.Location;
    public string DescribeKey(string key) => Inner.DescribeKey(key);
    public Task CheckAsync(CancellationToken cancellationToken = default) => Inner.CheckAsync(cancellationToken);
    public virtual Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => Inner.GetAsync(key, cancellationToken);
    public virtual Task<KeyValueList> ListAsync(string prefix, CancellationToken cancellationToken = default) => Inner.ListAsync(prefix, cancellationToken);
    public virtual Task<KeyValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default) => Inner.CreateAsync(key, value, cancellationToken);
    public virtual Task<KeyValue> UpdateAsync(string key, byte[] value, long modRevision, CancellationToken cancellationToken = default) =>
        Inner.UpdateAsync(key, value, modRevision, cancellationToken);
    public virtual Task<KeyValue> DeleteAsync(string key, long? modRevision = null, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(key, modRevision, cancellationToken);
    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default) =>
        Inner.WatchAsync(prefix, afterRevision, cancellationToken);
    public virtual void Dispose() => Inner.Dispose();
}
