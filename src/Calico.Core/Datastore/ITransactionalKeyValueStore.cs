namespace Calico.Datastore;

/// <summary>One conditional put of a transaction: created only if absent (<see cref="ModRevision"/> null), else only at that revision.</summary>
public sealed record KeyWrite(string Key, byte[] Value, long? ModRevision);

/// <summary>
/// A store that can make many conditional puts in one transaction (etcd's Txn): all are written, or none. Writers of
/// many keys use it to save a round trip per key; a store without it gets one conditional write per key.
/// </summary>
public interface ITransactionalKeyValueStore : IKeyValueStore
{
    /// <summary>The most puts one transaction may hold (etcd's --max-txn-ops, 128 by default).</summary>
    int MaxWritesPerTransaction { get; }

    /// <summary>
    /// Writes every key if every condition holds, and returns each as stored (in order); writes nothing and returns
    /// null when any condition fails.
    /// </summary>
    Task<IReadOnlyList<KeyValue>?> TryCommitAsync(IReadOnlyList<KeyWrite> writes, CancellationToken cancellationToken = default);
}
