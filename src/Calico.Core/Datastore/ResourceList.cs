using Calico.Resources;

namespace Calico.Datastore;

/// <summary>
/// A list of one kind, read at one revision. <see cref="Errors"/> has one entry per stored value that could not be
/// read, so a caller can report each bad item and still use the good ones.
/// </summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion, IReadOnlyList<DatastoreCorruptException> Errors)
    where T : CalicoResource;

/// <summary>
/// One change to a resource. <see cref="Object"/> is the resource after the change, or for Deleted the last state it had;
/// <see cref="Previous"/> is the state before a Modified when the store still has it. When the stored value cannot be read,
/// <see cref="Error"/> says why and Object is null.
/// </summary>
public sealed record ResourceEvent<T>(WatchEventType Type, string Name, string ResourceVersion, T? Object, T? Previous, DatastoreCorruptException? Error)
    where T : CalicoResource;
