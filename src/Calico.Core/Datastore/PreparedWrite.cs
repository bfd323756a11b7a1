using Calico.Resources;

namespace Calico.Datastore;

/// <summary>
/// A resource ready to be written: its key, its value, and the revision it must still be at (null: the key must not
/// exist). Lets many writes go to the store in one transaction where the store has them.
/// </summary>
public sealed record PreparedWrite<T>(string Key, byte[] Value, long? ModRevision, T Resource) where T : CalicoResource;
