namespace Calico.Datastore;

/// <summary>
/// A key-value datastore with etcd v3 semantics: the contract the file store and the etcd store both keep, and the layer
/// Calico's resources and IPAM are built on (libcalico-go's backend api.Client, reduced to what Calico uses).
/// Keys are absolute paths such as /calico/resources/v3/projectcalico.org/ippools/p1.
/// </summary>
public interface IKeyValueStore : IDisposable
{
    /// <summary>Where the data lives, for messages: "file datastore /path" or "etcdv3 datastore https://a:2379,…".</summary>
    string Location { get; }

    /// <summary>Names one key's home for a message: the value file for the file store, the key and endpoints for etcd.</summary>
    string DescribeKey(string key);

    /// <summary>The key, or null when it does not exist.</summary>
    Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reaches the store and proves it usable (a read from etcd; the file store's directory written and locked).</summary>
    /// <exception cref="DatastoreException">It cannot be reached or used; the message says why.</exception>
    Task CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>Every key starting with <paramref name="prefix"/> (taken literally), in byte order, read at one revision.</summary>
    Task<KeyValueList> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Writes the key only if it does not exist (etcd: Version(key) == 0).</summary>
    /// <exception cref="ResourceAlreadyExistsException">The key exists; carries its current value.</exception>
    Task<KeyValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default);

    /// <summary>Writes the key only if its ModRevision is <paramref name="modRevision"/>.</summary>
    /// <exception cref="ResourceNotFoundException">The key does not exist.</exception>
    /// <exception cref="ResourceConflictException">The key changed since; carries its current value.</exception>
    Task<KeyValue> UpdateAsync(string key, byte[] value, long modRevision, CancellationToken cancellationToken = default);

    /// <summary>Deletes the key, only if its ModRevision is <paramref name="modRevision"/> when one is given. Returns the previous value.</summary>
    /// <exception cref="ResourceNotFoundException">The key does not exist.</exception>
    /// <exception cref="ResourceConflictException">The key changed since; carries its current value.</exception>
    Task<KeyValue> DeleteAsync(string key, long? modRevision = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The changes under <paramref name="prefix"/> with a revision greater than <paramref name="afterRevision"/>, in order,
    /// until cancelled. Pass a list's revision, or the last event's revision to resume.
    /// </summary>
    /// <exception cref="RevisionCompactedException">The store no longer has the history after <paramref name="afterRevision"/>.</exception>
    IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default);
}
