using Calico.Resources;
using Calico.Serialization;

namespace Calico.Datastore;

/// <summary>
/// A datastore operation failed. Every message names the key or resource and the store's location;
/// <see cref="Location"/> and <see cref="Key"/> carry them for callers that build their own records.
/// </summary>
public class DatastoreException : Exception
{
    public DatastoreException(string message, string location, string? key = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Location = location;
        Key = key;
    }

    public string Location { get; }
    public string? Key { get; }
}

/// <summary>Create found the key already there (libcalico-go's ErrorResourceAlreadyExists).</summary>
public sealed class ResourceAlreadyExistsException : DatastoreException
{
    public ResourceAlreadyExistsException(string message, string location, string key, KeyValue? currentValue, CalicoResource? current = null)
        : base(message, location, key)
    {
        CurrentValue = currentValue;
        Current = current;
    }

    public KeyValue? CurrentValue { get; }
    /// <summary>The stored resource, when the error comes from the resource layer and the value could be read.</summary>
    public CalicoResource? Current { get; }
}

/// <summary>The key or resource does not exist (libcalico-go's ErrorResourceDoesNotExist).</summary>
public sealed class ResourceNotFoundException : DatastoreException
{
    public ResourceNotFoundException(string message, string location, string key) : base(message, location, key) { }
}

/// <summary>The key changed since the revision the caller had (libcalico-go's ErrorResourceUpdateConflict).</summary>
public sealed class ResourceConflictException : DatastoreException
{
    public ResourceConflictException(string message, string location, string key, KeyValue? currentValue, CalicoResource? current = null)
        : base(message, location, key)
    {
        CurrentValue = currentValue;
        Current = current;
    }

    public KeyValue? CurrentValue { get; }
    /// <summary>The stored resource, when the error comes from the resource layer and the value could be read.</summary>
    public CalicoResource? Current { get; }
}

/// <summary>The datastore could not be reached or did not answer in time.</summary>
public sealed class DatastoreUnavailableException : DatastoreException
{
    public DatastoreUnavailableException(string message, string location, IReadOnlyList<string> endpoints, Exception? innerException = null)
        : base(message, location, null, innerException)
    {
        Endpoints = endpoints;
    }

    public IReadOnlyList<string> Endpoints { get; }
}

/// <summary>
/// Something stored cannot be read: a value that is not the resource its key says, a missing value file, a damaged
/// journal. <see cref="Errors"/> holds the field-level problems when the value was JSON of the wrong shape.
/// </summary>
public sealed class DatastoreCorruptException : DatastoreException
{
    public DatastoreCorruptException(string message, string location, string? key, string reason,
        IReadOnlyList<FieldError>? errors = null, Exception? innerException = null)
        : base(message, location, key, innerException)
    {
        Reason = reason;
        Errors = errors ?? Array.Empty<FieldError>();
    }

    public string Reason { get; }
    public IReadOnlyList<FieldError> Errors { get; }
}

/// <summary>A watch asked for history the store has already compacted away; list again and watch from the list's revision.</summary>
public sealed class RevisionCompactedException : DatastoreException
{
    public RevisionCompactedException(string message, string location, long requestedRevision, long oldestRevision)
        : base(message, location)
    {
        RequestedRevision = requestedRevision;
        OldestRevision = oldestRevision;
    }

    /// <summary>The revision the watch asked to continue after.</summary>
    public long RequestedRevision { get; }
    /// <summary>The oldest revision a watch can still continue after.</summary>
    public long OldestRevision { get; }
}

/// <summary>The datastore settings are wrong: a missing file, a bad certificate, a type we do not support.</summary>
public sealed class DatastoreConfigurationException : DatastoreException
{
    public DatastoreConfigurationException(string message, string location, string? setting = null, Exception? innerException = null)
        : base(message, location, null, innerException)
    {
        Setting = setting;
    }

    /// <summary>The setting at fault, by its calicoctl name (e.g. etcdCACertFile), when there is one.</summary>
    public string? Setting { get; }
}
