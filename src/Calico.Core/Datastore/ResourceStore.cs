using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Calico.Resources;
using Calico.Serialization;

namespace Calico.Datastore;

/// <summary>
/// Calico's v3 resources on any <see cref="IKeyValueStore"/>, with libcalico-go's client rules
/// (lib/clientv3/resources.go): values are the resource's JSON without resourceVersion and selfLink; on read
/// resourceVersion is the key's ModRevision; Create fills uid and creationTimestamp; Update needs resourceVersion,
/// uid and creationTimestamp. Every write returns the stored resource with its new resourceVersion.
/// </summary>
public sealed class ResourceStore
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public ResourceStore(IKeyValueStore store)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
    }

    public IKeyValueStore Store { get; }

    /// <exception cref="ResourceNotFoundException">No such resource.</exception>
    /// <exception cref="DatastoreCorruptException">The stored value is not a readable resource of this kind.</exception>
    public async Task<T> GetAsync<T>(string name, CancellationToken cancellationToken = default) where T : CalicoResource
    {
        var kind = ResourceKeys.KindOf<T>();
        var key = KeyFor(kind, name);
        var kv = await Store.GetAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceNotFoundException($"{kind} {name} does not exist ({Store.DescribeKey(key)})", Store.Location, key);
        return Decode<T>(kind, kv);
    }

    /// <summary>Whether a resource of that name is stored (readable or not).</summary>
    public async Task<bool> ExistsAsync<T>(string name, CancellationToken cancellationToken = default) where T : CalicoResource =>
        await Store.GetAsync(KeyFor(ResourceKeys.KindOf<T>(), name), cancellationToken).ConfigureAwait(false) is not null;

    public async Task<ResourceList<T>> ListAsync<T>(CancellationToken cancellationToken = default) where T : CalicoResource
    {
        var kind = ResourceKeys.KindOf<T>();
        var list = await Store.ListAsync(ResourceKeys.Prefix(kind), cancellationToken).ConfigureAwait(false);
        // Decoding dominates a large list: spread it over the cores, keeping key order.
        var results = new (T? Item, DatastoreCorruptException? Error)[list.Items.Count];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length < 64 ? 1 : -1 }, i =>
        {
            try { results[i] = (Decode<T>(kind, list.Items[i]), null); }
            catch (DatastoreCorruptException ex) { results[i] = (null, ex); }
        });
        return new ResourceList<T>(
            results.Where(r => r.Item is not null).Select(r => r.Item!).ToList(),
            Revision(list.Revision),
            list.Errors.Concat(results.Where(r => r.Error is not null).Select(r => r.Error!)).ToList());
    }

    /// <exception cref="ManifestException">No name, or a resourceVersion was given.</exception>
    /// <exception cref="ResourceAlreadyExistsException">A resource of that name exists; carries it.</exception>
    public async Task<T> CreateAsync<T>(T resource, CancellationToken cancellationToken = default) where T : CalicoResource
    {
        var write = PrepareCreate(resource);
        try
        {
            var kv = await Store.CreateAsync(write.Key, write.Value, cancellationToken).ConfigureAwait(false);
            return Stamp(write.Resource, kv.ModRevision);
        }
        catch (ResourceAlreadyExistsException ex)
        {
            throw new ResourceAlreadyExistsException($"{resource.Kind} {resource.Name} already exists ({Store.DescribeKey(write.Key)})",
                Store.Location, write.Key, ex.CurrentValue, TryDecode<T>(resource.Kind, ex.CurrentValue));
        }
    }

    /// <summary>What <see cref="CreateAsync{T}"/> would write, checked and completed (uid, creationTimestamp) as it does.</summary>
    /// <exception cref="ManifestException">No name, or a resourceVersion was given.</exception>
    public PreparedWrite<T> PrepareCreate<T>(T resource) where T : CalicoResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        var kind = resource.Kind;
        var source = $"{kind} {resource.Name}";
        if (string.IsNullOrEmpty(resource.Name))
            throw Invalid(source, "metadata.name", resource.Name,
                "field must be set for a Create request" + (string.IsNullOrEmpty(resource.Metadata.GenerateName) ? "" : " (GenerateName is not supported)"));
        CheckName(source, resource.Name);
        if (!string.IsNullOrEmpty(resource.ResourceVersion))
            throw Invalid(source, "metadata.resourceVersion", resource.ResourceVersion, "field must not be set for a Create request");

        var stored = (T)resource.CloneResource();
        GiveIdentity(stored);
        return new PreparedWrite<T>(ResourceKeys.Key(kind, stored.Name), Encode(stored), null, stored);
    }

    /// <exception cref="ManifestException">resourceVersion, uid or creationTimestamp missing, or resourceVersion not a revision.</exception>
    /// <exception cref="ResourceNotFoundException">No such resource.</exception>
    /// <exception cref="ResourceConflictException">It changed since resourceVersion; carries the current resource.</exception>
    public async Task<T> UpdateAsync<T>(T resource, CancellationToken cancellationToken = default) where T : CalicoResource
    {
        var write = PrepareUpdate(resource);
        try
        {
            var kv = await Store.UpdateAsync(write.Key, write.Value, write.ModRevision!.Value, cancellationToken).ConfigureAwait(false);
            return Stamp(write.Resource, kv.ModRevision);
        }
        catch (ResourceNotFoundException)
        {
            throw new ResourceNotFoundException($"{resource.Kind} {resource.Name} does not exist ({Store.DescribeKey(write.Key)})", Store.Location, write.Key);
        }
        catch (ResourceConflictException ex)
        {
            throw Conflict(resource.Kind, resource.Name, write.Key, resource.ResourceVersion!, ex);
        }
    }

    /// <summary>What <see cref="UpdateAsync{T}"/> would write, at which revision, checked as it does.</summary>
    /// <exception cref="ManifestException">resourceVersion, uid or creationTimestamp missing, or resourceVersion not a revision.</exception>
    public PreparedWrite<T> PrepareUpdate<T>(T resource) where T : CalicoResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        var kind = resource.Kind;
        var source = $"{kind} {resource.Name}";
        CheckName(source, resource.Name);
        var revision = ParseRevision(source, resource.ResourceVersion, "field must be set for an Update request");
        if (resource.Metadata.CreationTimestamp is null)
            throw Invalid(source, "metadata.creationTimestamp", null, "field must be set for an Update request");
        if (string.IsNullOrEmpty(resource.Metadata.Uid))
            throw Invalid(source, "metadata.uid", resource.Metadata.Uid, "field must be set for an Update request");

        var stored = (T)resource.CloneResource();
        return new PreparedWrite<T>(ResourceKeys.Key(kind, stored.Name), Encode(stored), revision, stored);
    }

    /// <summary>What a create fills in when the input has not: a uid and the creation time (whole seconds, as Kubernetes keeps it).</summary>
    internal static void GiveIdentity(CalicoResource resource)
    {
        resource.Metadata.CreationTimestamp ??= DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        if (string.IsNullOrEmpty(resource.Metadata.Uid)) resource.Metadata.Uid = Guid.NewGuid().ToString();
    }

    /// <summary>The resource as a prepared write stored it at <paramref name="revision"/>.</summary>
    public static T Stored<T>(PreparedWrite<T> write, long revision) where T : CalicoResource => Stamp((T)write.Resource.CloneResource(), revision);

    /// <summary>Deletes a resource, only at <paramref name="resourceVersion"/> when one is given.</summary>
    /// <returns>The resource as it was, or null when its stored value could not be read (it is deleted all the same).</returns>
    public async Task<T?> DeleteAsync<T>(string name, string? resourceVersion = null, CancellationToken cancellationToken = default) where T : CalicoResource
    {
        var kind = ResourceKeys.KindOf<T>();
        var key = KeyFor(kind, name);
        long? revision = string.IsNullOrEmpty(resourceVersion) ? null : ParseRevision($"{kind} {name}", resourceVersion, "");
        try
        {
            var previous = await Store.DeleteAsync(key, revision, cancellationToken).ConfigureAwait(false);
            return TryDecode<T>(kind, previous);
        }
        catch (ResourceNotFoundException)
        {
            throw new ResourceNotFoundException($"{kind} {name} does not exist ({Store.DescribeKey(key)})", Store.Location, key);
        }
        catch (ResourceConflictException ex)
        {
            throw Conflict(kind, name, key, resourceVersion!, ex);
        }
    }

    /// <summary>
    /// Changes to every resource of the kind, after <paramref name="resourceVersion"/>; without one, first an Added
    /// event for each existing resource, then the changes after that list (libcalico-go's watcher does the same).
    /// </summary>
    /// <exception cref="RevisionCompactedException">The store no longer has that history.</exception>
    public async IAsyncEnumerable<ResourceEvent<T>> WatchAsync<T>(string? resourceVersion = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : CalicoResource
    {
        var kind = ResourceKeys.KindOf<T>();
        var prefix = ResourceKeys.Prefix(kind);
        long after;
        if (string.IsNullOrEmpty(resourceVersion))
        {
            var list = await Store.ListAsync(prefix, cancellationToken).ConfigureAwait(false);
            foreach (var kv in list.Items) yield return ToEvent<T>(kind, prefix, WatchEventType.Added, kv.Key, kv.ModRevision, kv, null);
            foreach (var error in list.Errors)
                yield return new ResourceEvent<T>(WatchEventType.Added, NameOf(prefix, error.Key ?? ""), Revision(list.Revision), null, null, error);
            after = list.Revision;
        }
        else
        {
            after = ParseRevision($"{kind} watch", resourceVersion, "");
        }
        await foreach (var e in Store.WatchAsync(prefix, after, cancellationToken).ConfigureAwait(false))
        {
            yield return e.Type == WatchEventType.Deleted
                ? ToEvent<T>(kind, prefix, e.Type, e.Key, e.Revision, e.Previous, null)
                : ToEvent<T>(kind, prefix, e.Type, e.Key, e.Revision, e.Current, e.Previous);
        }
    }

    /// <summary>The bytes Calico stores: the resource without resourceVersion and selfLink (kind and apiVersion come from its type).</summary>
    internal static byte[] Encode(CalicoResource resource)
    {
        var copy = resource.CloneResource();
        copy.Metadata.ResourceVersion = null;
        copy.Metadata.SelfLink = null;
        return Encoding.UTF8.GetBytes(ResourceJson.Serialize(copy));
    }

    private T Decode<T>(string kind, KeyValue kv) where T : CalicoResource
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(kv.Value);
        }
        catch (DecoderFallbackException ex)
        {
            throw Corrupt(kind, kv.Key, "the stored value is not UTF-8 text", null, ex);
        }
        T resource;
        try
        {
            resource = ResourceJson.Deserialize<T>(text, kv.Key);
        }
        catch (ManifestException ex)
        {
            throw Corrupt(kind, kv.Key, $"the stored value is not a valid {kind}: {string.Join("; ", ex.Errors.Select(e => (e with { Source = null }).ToString()))}", ex.Errors, ex);
        }
        return Stamp(resource, kv.ModRevision);
    }

    private T? TryDecode<T>(string kind, KeyValue? kv) where T : CalicoResource
    {
        if (kv is null || kv.Value.Length == 0) return null;
        try { return Decode<T>(kind, kv); }
        catch (DatastoreCorruptException) { return null; }
    }

    private ResourceEvent<T> ToEvent<T>(string kind, string prefix, WatchEventType type, string key, long revision, KeyValue? value, KeyValue? previous)
        where T : CalicoResource
    {
        var name = NameOf(prefix, key);
        try
        {
            var obj = value is null ? null : Decode<T>(kind, value);
            return new ResourceEvent<T>(type, name, Revision(revision), obj, TryDecode<T>(kind, previous), null);
        }
        catch (DatastoreCorruptException ex)
        {
            return new ResourceEvent<T>(type, name, Revision(revision), null, null, ex);
        }
    }

    private DatastoreCorruptException Corrupt(string kind, string key, string reason, IReadOnlyList<FieldError>? errors, Exception inner) =>
        new($"{kind} {NameOf(ResourceKeys.Prefix(kind), key)} cannot be read ({Store.DescribeKey(key)}): {reason}", Store.Location, key, reason, errors, inner);

    private ResourceConflictException Conflict(string kind, string name, string key, string resourceVersion, ResourceConflictException ex) =>
        new($"{kind} {name} was changed since resourceVersion {resourceVersion} (it is now at {ex.CurrentValue?.ModRevision.ToString(CultureInfo.InvariantCulture) ?? "an unknown revision"}); get it again and reapply the change ({Store.DescribeKey(key)})",
            Store.Location, key, ex.CurrentValue, TryDecode<CalicoResource>(kind, ex.CurrentValue));

    private static T Stamp<T>(T resource, long revision) where T : CalicoResource
    {
        resource.Metadata.ResourceVersion = Revision(revision);
        resource.Metadata.SelfLink = null;
        return resource;
    }

    private static string KeyFor(string kind, string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/'))
            throw new ArgumentException($"{FieldError.Quote(name ?? "")} is not a {kind} name", nameof(name));
        return ResourceKeys.Key(kind, name);
    }

    private static void CheckName(string source, string name)
    {
        if (string.IsNullOrEmpty(name)) throw Invalid(source, "metadata.name", name, "field must be set");
        if (name.Contains('/')) throw Invalid(source, "metadata.name", name, "a name cannot contain '/'");
    }

    private static long ParseRevision(string source, string? resourceVersion, string missingMessage)
    {
        if (string.IsNullOrEmpty(resourceVersion)) throw Invalid(source, "metadata.resourceVersion", resourceVersion, missingMessage);
        if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) || revision <= 0)
            throw Invalid(source, "metadata.resourceVersion", resourceVersion, "must be a datastore revision (a positive decimal number)");
        return revision;
    }

    private static ManifestException Invalid(string source, string field, string? value, string message) =>
        new(new[] { new FieldError { Source = source, Field = field, Value = value, Message = message } });

    private static string NameOf(string prefix, string key) => key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;

    private static string Revision(long revision) => revision.ToString(CultureInfo.InvariantCulture);
}
