using Calico.Datastore;
using Calico.Resources;
using Calico.Validation;

namespace Calico.Client;

/// <summary>
/// Calico's client semantics for one kind, over the typed store: checks as libcalico-go's client makes them before
/// every write, and calicoctl's apply (create, else update keeping the stored metadata, retried on conflict).
/// </summary>
public abstract class ResourceClient<T> where T : CalicoResource
{
    protected ResourceClient(CalicoClient client)
    {
        Client = client;
    }

    protected CalicoClient Client { get; }
    protected ResourceStore Resources => Client.Resources;

    /// <exception cref="ResourceNotFoundException">No such resource.</exception>
    public async Task<T> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var resource = await Resources.GetAsync<T>(name, cancellationToken).ConfigureAwait(false);
        await DecorateAsync(new[] { resource }, cancellationToken).ConfigureAwait(false);
        return resource;
    }

    public async Task<T?> TryGetAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Every resource of the kind; unreadable ones are in <see cref="ResourceList{T}.Errors"/>.</summary>
    public async Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = await Resources.ListAsync<T>(cancellationToken).ConfigureAwait(false);
        await DecorateAsync(list.Items, cancellationToken).ConfigureAwait(false);
        return list;
    }

    /// <exception cref="ResourceValidationException">Calico would refuse the resource.</exception>
    /// <exception cref="ResourceAlreadyExistsException">It exists already.</exception>
    public async Task<T> CreateAsync(T resource, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= WriteOptions.Default;
        var prepared = Prepare(resource, current: null);
        await CheckCreateAsync(prepared, cancellationToken).ConfigureAwait(false);
        await CheckWriteAsync(prepared, current: null, options, cancellationToken).ConfigureAwait(false);
        if (options.DryRun) return prepared;
        var stored = await Resources.CreateAsync(prepared, cancellationToken).ConfigureAwait(false);
        await DecorateAsync(new[] { stored }, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Replaces the stored resource; <paramref name="resource"/> must carry the resourceVersion it was read at.</summary>
    /// <exception cref="ResourceConflictException">It changed since that resourceVersion.</exception>
    public async Task<T> UpdateAsync(T resource, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= WriteOptions.Default;
        var current = await Resources.GetAsync<T>(resource.Name, cancellationToken).ConfigureAwait(false);
        return await WriteUpdateAsync(Prepare(resource, current), current, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores an update already prepared (defaulted and validated) against <paramref name="current"/>.</summary>
    private async Task<T> WriteUpdateAsync(T prepared, T current, WriteOptions options, CancellationToken cancellationToken)
    {
        await CheckWriteAsync(prepared, current, options, cancellationToken).ConfigureAwait(false);
        if (options.DryRun) return prepared;
        var stored = await Resources.UpdateAsync(prepared, cancellationToken).ConfigureAwait(false);
        await DecorateAsync(new[] { stored }, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// calicoctl apply: create, or update what is stored (with <see cref="WriteOptions.DryRun"/>, every check and no write). A resourceVersion in the input must be the latest (no retry);
    /// without one, the update is retried when another writer got there first. An update that would change nothing
    /// writes nothing (calicoctl would rewrite the same value), so the resourceVersion stays as it was.
    /// </summary>
    public async Task<ApplyResult<T>> ApplyAsync(T resource, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= WriteOptions.Default;
        var givenVersion = resource.ResourceVersion;
        // Look first, so checks that depend on the stored resource (the cross-subnet guard) see it.
        if (await Resources.ExistsAsync<T>(resource.Name, cancellationToken).ConfigureAwait(false) is false)
        {
            var forCreate = (T)resource.CloneResource();
            forCreate.Metadata.ResourceVersion = null;
            try
            {
                var created = await CreateAsync(forCreate, options, cancellationToken).ConfigureAwait(false);
                return new ApplyResult<T>(created, ApplyAction.Created, ResourceDiff.Compare(null, created));
            }
            catch (ResourceAlreadyExistsException)
            {
                // Another writer created it meanwhile: update what is there.
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            var current = await Resources.GetAsync<T>(resource.Name, cancellationToken).ConfigureAwait(false);
            var plan = PlanApply(resource, current);
            if (plan.Action == ApplyAction.Unchanged)
            {
                await DecorateAsync(new[] { current }, cancellationToken).ConfigureAwait(false);
                return plan;
            }
            try
            {
                var updated = await WriteUpdateAsync(plan.Resource, current, options, cancellationToken).ConfigureAwait(false);
                return plan with { Resource = updated };
            }
            catch (ResourceConflictException) when (string.IsNullOrEmpty(givenVersion) && attempt < options.ConflictRetries)
            {
                await Task.Delay(options.ConflictRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>calicoctl's refusal of an apply that carries a resourceVersion other than the stored one.</summary>
    internal ResourceConflictException OutOfDate(T input, T current) => new(
        $"{input.Kind}({input.Name}): resource version '{input.ResourceVersion}' is out of date (latest: {current.ResourceVersion}). "
        + "Update the resource YAML/JSON in order to make changes", Resources.Store.Location, ResourceKeys.Key(input.Kind, input.Name), null, current);

    /// <summary>What <see cref="ApplyAsync"/> would write for <paramref name="resource"/>, decided against <paramref name="current"/>
    /// (null: it does not exist) without reading the store: the checks that need the stored cluster are the caller's.</summary>
    internal ApplyResult<T> PlanApply(T resource, T? current)
    {
        if (current is null)
        {
            var forCreate = (T)resource.CloneResource();
            forCreate.Metadata.ResourceVersion = null;
            var created = Prepare(forCreate, current: null);
            // The identity the store would give it, so a later write of this batch can update it.
            ResourceStore.GiveIdentity(created);
            return new ApplyResult<T>(created, ApplyAction.Created, ResourceDiff.Compare(null, created));
        }
        if (!string.IsNullOrEmpty(resource.ResourceVersion) && resource.ResourceVersion != current.ResourceVersion) throw OutOfDate(resource, current);
        var updated = Prepare(MergeMetadata(current, resource), current);
        var changes = ResourceDiff.Compare(current, updated);
        return changes.Count == 0
            ? new ApplyResult<T>(current, ApplyAction.Unchanged, changes)
            : new ApplyResult<T>(updated, ApplyAction.Updated, changes);
    }

    internal Task DecorateStoredAsync(IReadOnlyList<T> resources, CancellationToken cancellationToken) => DecorateAsync(resources, cancellationToken);

    /// <summary>Deletes a resource, only at <paramref name="resourceVersion"/> when one is given.</summary>
    public virtual Task<T?> DeleteAsync(string name, string? resourceVersion = null, CancellationToken cancellationToken = default) =>
        Resources.DeleteAsync<T>(name, resourceVersion, cancellationToken);

    /// <summary>The stored metadata with the input's labels and annotations: calicoctl's mergeMetadataForUpdate.</summary>
    protected static T MergeMetadata(T stored, T input)
    {
        var merged = (T)input.CloneResource();
        var metadata = stored.Metadata.Clone();
        metadata.Labels = input.Metadata.Labels is null ? null : new Dictionary<string, string>(input.Metadata.Labels, StringComparer.Ordinal);
        metadata.Annotations = input.Metadata.Annotations is null ? null : new Dictionary<string, string>(input.Metadata.Annotations, StringComparer.Ordinal);
        merged.Metadata = metadata;
        return merged;
    }

    /// <summary>A copy with Calico's defaults, checked as the client checks it; throws when Calico would refuse it.</summary>
    protected T Prepare(T resource, T? current)
    {
        var copy = (T)resource.CloneResource();
        ApplyDefaults(copy);
        // ValidateUpdate applies every rule Validate does, plus the rules on what may change.
        var errors = current is null ? ResourceValidator.Validate(copy) : ResourceValidator.ValidateUpdate(current, copy);
        if (errors.Count > 0) throw new ResourceValidationException(copy.Kind, copy.Name, errors);
        return copy;
    }

    protected virtual void ApplyDefaults(T resource)
    {
    }

    /// <summary>Checks that only a create makes, against what is stored (pool overlap, say).</summary>
    protected virtual Task CheckCreateAsync(T prepared, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Checks this module adds to every write (the cross-subnet guard, say).</summary>
    protected virtual Task CheckWriteAsync(T prepared, T? current, WriteOptions options, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Fills in what is shown but not stored (a node's inherited AS number, say).</summary>
    protected virtual Task DecorateAsync(IReadOnlyList<T> resources, CancellationToken cancellationToken) => Task.CompletedTask;
}
