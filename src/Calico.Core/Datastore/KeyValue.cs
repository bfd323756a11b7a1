using System.Text;

namespace Calico.Datastore;

/// <summary>
/// One key as etcd reports it: the value bytes and etcd's three counters. The file store keeps the same counters,
/// so a revision means the same thing on both stores.
/// </summary>
public sealed record KeyValue(string Key, byte[] Value, long ModRevision, long CreateRevision, long Version)
{
    /// <summary>The value as text (Calico stores UTF-8 JSON).</summary>
    public string ValueText => Encoding.UTF8.GetString(Value);
}

/// <summary>
/// The keys under a prefix at one revision (etcd's header revision), plus one error per key that could not be read,
/// so a bad key never hides the good ones.
/// </summary>
public sealed record KeyValueList(IReadOnlyList<KeyValue> Items, long Revision, IReadOnlyList<DatastoreCorruptException> Errors);

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// One change under a watched prefix. <see cref="Revision"/> is the store revision of the change: resume a watch by
/// passing the last one seen. <see cref="Current"/> is null for Deleted; <see cref="Previous"/> is set for Deleted and,
/// when the store still has it, for Modified.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, string Key, long Revision, KeyValue? Current, KeyValue? Previous);
