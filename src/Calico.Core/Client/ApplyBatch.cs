using Calico.Datastore;
using Calico.Resources;
using Calico.Validation;

namespace Calico.Client;

/// <summary>
/// calicoctl apply of many IP pools and nodes (one manifest, say) with the outcome of applying them one by one in
/// order, but the datastore read once and the writes sent together: <see cref="ResourceClient{T}.ApplyAsync"/> per
/// resource lists every pool, node and block again for each one, so a large manifest cost grew with its square.
/// Each resource is planned against the stored cluster plus the resources accepted before it (an overlap with an
/// earlier pool, a node fixed before its CrossSubnet pool), then <see cref="CommitAsync"/> writes them, in transactions
/// where the store has them (etcd), each key on its own condition (created only if absent, updated only at the
/// revision planned against): each resource is written whole or not at all, and one that lost a race with another
/// writer is applied again the one-by-one way.
/// </summary>
public sealed class ApplyBatch
{
    // Writes in flight at once: enough for etcd to put many into one raft round, few enough not to crowd it.
    private const int ConcurrentWrites = 32;

    private readonly CalicoClient _client;
    private readonly WriteOptions _options;
    private Dictionary<string, IPPool>? _pools;
    private Dictionary<string, Node>? _nodes;
    private readonly Dictionary<int, IReadOnlyList<Calico.Net.IPPrefix>> _blocks = new();
    // Accepted writes, in order; a key written twice has two entries, the later planned on the earlier.
    private readonly List<Accepted> _accepted = new();

    public ApplyBatch(CalicoClient client, WriteOptions? options = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? WriteOptions.Default;
        if (_options.DryRun) throw new ArgumentException("A batch writes; plan without accepting to preview.", nameof(options));
    }

    /// <summary>One accepted resource: what the plan said, and (after the commit) what happened.</summary>
    public sealed class Accepted
    {
        internal Accepted(CalicoResource input, ApplyResult<CalicoResource> plan, object? tag)
        {
            Input = input;
            Plan = plan;
            Tag = tag;
        }

        public CalicoResource Input { get; }
        public ApplyResult<CalicoResource> Plan { get; }
        /// <summary>The caller's own note (where the resource came from), handed back with the outcome.</summary>
        public object? Tag { get; }
        /// <summary>After the commit: the stored resource, or null when <see cref="Error"/> says why it was not written.</summary>
        public ApplyResult<CalicoResource>? Result { get; internal set; }
        public Exception? Error { get; internal set; }
    }

    /// <summary>
    /// What applying <paramref name="resource"/> would do, given the stored cluster and what was accepted before it;
    /// nothing is recorded until <see cref="Accept"/>. An Unchanged plan writes nothing.
    /// </summary>
    /// <exception cref="ResourceValidationException">Calico would refuse it (invalid, or overlapping a pool).</exception>
    /// <exception cref="CrossSubnetGuardException">A pool would become CrossSubnet over nodes without a subnet.</exception>
    /// <exception cref="ResourceConflictException">It carries a resourceVersion that is not the latest.</exception>
    public async Task<ApplyResult<CalicoResource>> PlanAsync(CalicoResource resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        switch (resource)
        {
            case IPPool pool:
            {
                var pools = await PoolsAsync(cancellationToken).ConfigureAwait(false);
                pools.TryGetValue(pool.Name, out var current);
                var plan = _client.IPPools.PlanApply(pool, current);
                if (plan.Action == ApplyAction.Created)
                {
                    var blocks = await BlocksAsync(plan.Resource.Prefix!.Value.Family, cancellationToken).ConfigureAwait(false);
                    var errors = IPPoolClient.CreateErrors(plan.Resource, pools.Values, blocks);
                    if (errors.Count > 0) throw new ResourceValidationException(pool.Kind, pool.Name, errors);
                }
                if (plan.Action != ApplyAction.Unchanged && !_options.AllowNodesWithoutSubnet && CrossSubnetGuard.BecomesCrossSubnet(plan.Resource, current))
                {
                    var nodes = await NodesAsync(cancellationToken).ConfigureAwait(false);
                    var offending = CrossSubnetGuard.NodesWithoutSubnet(plan.Resource, current, nodes.Values);
                    if (offending.Count > 0) throw new CrossSubnetGuardException(plan.Resource, offending);
                }
                return new ApplyResult<CalicoResource>(plan.Resource, plan.Action, plan.Changes);
            }
            case Node node:
            {
                var nodes = await NodesAsync(cancellationToken).ConfigureAwait(false);
                nodes.TryGetValue(node.Name, out var current);
                var plan = _client.Nodes.PlanApply(node, current);
                return new ApplyResult<CalicoResource>(plan.Resource, plan.Action, plan.Changes);
            }
            default:
                throw new ArgumentException($"{resource.Kind} {resource.Name}: only IP pools and nodes can be applied", nameof(resource));
        }
    }

    /// <summary>
    /// Records a plan; later plans see it. <paramref name="tag"/> comes back with the outcome. An Unchanged plan writes
    /// nothing, but is accepted too when its outcome should carry the stored resource (whose resourceVersion an
    /// earlier write of this batch decides).
    /// </summary>
    public Accepted Accept(CalicoResource input, ApplyResult<CalicoResource> plan, object? tag = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        switch (plan.Resource)
        {
            case IPPool pool when _pools is not null: _pools[pool.Name] = pool; break;
            case Node node when _nodes is not null: _nodes[node.Name] = node; break;
            default: throw new ArgumentException("Accept only what PlanAsync of this batch returned.", nameof(plan));
        }
        var accepted = new Accepted(input, plan, tag);
        _accepted.Add(accepted);
        return accepted;
    }

    /// <summary>
    /// Writes everything accepted, in order per resource, and returns each with its outcome (in the order accepted).
    /// A store with transactions gets each resource's first write in transactions of many; the rest (a resource
    /// named twice, or a transaction refused because another writer changed one of its keys) are written key by key,
    /// and a write that finds its key changed since the plan is applied again one by one.
    /// </summary>
    public async Task<IReadOnlyList<Accepted>> CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_accepted.Any(a => a.Plan.Resource is Node && a.Plan.Action == ApplyAction.Created))
            await ClusterInformation.EnsureInitializedAsync(_client.Store, cancellationToken).ConfigureAwait(false);
        var chains = _accepted.GroupBy(a => (a.Plan.Resource.Kind, a.Plan.Resource.Name)).Select(g => new Chain(g.ToList())).ToList();
        if (_client.Store is ITransactionalKeyValueStore transactional)
        {
            foreach (var chunk in chains.Where(c => c.NextWrite is not null).Chunk(transactional.MaxWritesPerTransaction))
                await CommitFirstWritesAsync(transactional, chunk, cancellationToken).ConfigureAwait(false);
        }
        await Parallel.ForEachAsync(chains, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentWrites, CancellationToken = cancellationToken },
            async (chain, ct) => await WriteChainAsync(chain, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var nodes = _accepted.Select(a => a.Result?.Resource).OfType<Node>().ToList();
        if (nodes.Count > 0) await _client.Nodes.DecorateStoredAsync(nodes, cancellationToken).ConfigureAwait(false);
        return _accepted.ToList();
    }

    /// <summary>One resource's accepted plans, and how far its writes have got.</summary>
    private sealed class Chain(List<Accepted> steps)
    {
        public List<Accepted> Steps { get; } = steps;
        public int Done { get; set; }
        /// <summary>The resource as this batch last stored it.</summary>
        public CalicoResource? Written { get; set; }
        public bool Raced { get; set; }
        public Accepted? NextWrite => Steps.Skip(Done).FirstOrDefault(s => s.Plan.Action != ApplyAction.Unchanged);
    }

    // The first write of each resource in one transaction; when another writer changed one of the keys, none is
    // written and the key-by-key path takes them all.
    private async Task CommitFirstWritesAsync(ITransactionalKeyValueStore store, Chain[] chunk, CancellationToken cancellationToken)
    {
        var writes = new List<(Chain Chain, Accepted Step, int Index, PreparedResource Prepared)>();
        foreach (var chain in chunk)
        {
            var index = chain.Steps.IndexOf(chain.NextWrite!);
            var step = chain.Steps[index];
            try
            {
                writes.Add((chain, step, index, Prepare(step.Plan.Resource.CloneResource())));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Left to the key-by-key path, which reports it.
            }
        }
        IReadOnlyList<KeyValue>? stored;
        try
        {
            stored = await store.TryCommitAsync(writes.Select(w => w.Prepared.Write).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreException)
        {
            // Whether or not it went through is unknown; the key-by-key path finds out, and reports what fails.
            return;
        }
        if (stored is null) return;
        for (var i = 0; i < writes.Count; i++)
        {
            var (chain, step, index, prepared) = writes[i];
            for (var before = chain.Done; before < index; before++) Unchanged(chain, chain.Steps[before]);
            var resource = prepared.Stored(stored[i].ModRevision);
            step.Result = new ApplyResult<CalicoResource>(resource, step.Plan.Action, step.Plan.Changes);
            chain.Written = resource;
            chain.Done = index + 1;
        }
    }

    // A resource's remaining writes, each on the revision the one before it stored.
    private async Task WriteChainAsync(Chain chain, CancellationToken cancellationToken)
    {
        for (; chain.Done < chain.Steps.Count; chain.Done++)
        {
            var step = chain.Steps[chain.Done];
            try
            {
                if (chain.Raced)
                {
                    step.Result = await ApplyOneByOneAsync(step.Input, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (step.Plan.Action == ApplyAction.Unchanged)
                {
                    Unchanged(chain, step);
                    continue;
                }
                var resource = step.Plan.Resource.CloneResource();
                if (chain.Written is not null) resource.Metadata.ResourceVersion = chain.Written.ResourceVersion;
                var stored = step.Plan.Action == ApplyAction.Created && chain.Written is null
                    ? await CreateAsync(resource, cancellationToken).ConfigureAwait(false)
                    : await UpdateAsync(resource, cancellationToken).ConfigureAwait(false);
                chain.Written = stored;
                step.Result = new ApplyResult<CalicoResource>(stored, step.Plan.Action, step.Plan.Changes);
            }
            catch (Exception ex) when ((ex is ResourceAlreadyExistsException or ResourceConflictException or ResourceNotFoundException)
                                       && string.IsNullOrEmpty(step.Input.ResourceVersion))
            {
                // Another writer got there between the plan and the write: what is stored now decides.
                chain.Raced = true;
                try
                {
                    step.Result = await ApplyOneByOneAsync(step.Input, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception again) when (again is not OperationCanceledException)
                {
                    step.Error = again;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                step.Error = ex;
                chain.Raced = true;
            }
        }
    }

    private static void Unchanged(Chain chain, Accepted step) =>
        step.Result = new ApplyResult<CalicoResource>(chain.Written ?? step.Plan.Resource, ApplyAction.Unchanged, step.Plan.Changes);

    /// <summary>A write for the store, and the resource as it will read back at the revision the store gives it.</summary>
    private sealed record PreparedResource(KeyWrite Write, Func<long, CalicoResource> Stored);

    private PreparedResource Prepare(CalicoResource resource)
    {
        var create = string.IsNullOrEmpty(resource.ResourceVersion);
        return resource switch
        {
            IPPool pool => From(create ? _client.Resources.PrepareCreate(pool) : _client.Resources.PrepareUpdate(pool)),
            Node node => From(create ? _client.Resources.PrepareCreate(node) : _client.Resources.PrepareUpdate(node)),
            _ => throw new ArgumentException(resource.Kind, nameof(resource)),
        };

        static PreparedResource From<T>(PreparedWrite<T> w) where T : CalicoResource =>
            new(new KeyWrite(w.Key, w.Value, w.ModRevision), revision => ResourceStore.Stored(w, revision));
    }

    private async Task<ApplyResult<CalicoResource>> ApplyOneByOneAsync(CalicoResource input, CancellationToken cancellationToken)
    {
        switch (input)
        {
            case IPPool pool:
                var p = await _client.IPPools.ApplyAsync(pool, _options, cancellationToken).ConfigureAwait(false);
                return new ApplyResult<CalicoResource>(p.Resource, p.Action, p.Changes);
            case Node node:
                var n = await _client.Nodes.ApplyAsync(node, _options, cancellationToken).ConfigureAwait(false);
                return new ApplyResult<CalicoResource>(n.Resource, n.Action, n.Changes);
            default:
                throw new ArgumentException($"{input.Kind} cannot be applied", nameof(input));
        }
    }

    private async Task<CalicoResource> CreateAsync(CalicoResource resource, CancellationToken cancellationToken) => resource switch
    {
        IPPool pool => await _client.Resources.CreateAsync(pool, cancellationToken).ConfigureAwait(false),
        Node node => await _client.Resources.CreateAsync(node, cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentException(resource.Kind, nameof(resource)),
    };

    private async Task<CalicoResource> UpdateAsync(CalicoResource resource, CancellationToken cancellationToken) => resource switch
    {
        IPPool pool => await _client.Resources.UpdateAsync(pool, cancellationToken).ConfigureAwait(false),
        Node node => await _client.Resources.UpdateAsync(node, cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentException(resource.Kind, nameof(resource)),
    };

    private async Task<Dictionary<string, IPPool>> PoolsAsync(CancellationToken cancellationToken) =>
        _pools ??= (await _client.Resources.ListAsync<IPPool>(cancellationToken).ConfigureAwait(false)).Items.ToDictionary(p => p.Name, StringComparer.Ordinal);

    private async Task<Dictionary<string, Node>> NodesAsync(CancellationToken cancellationToken) =>
        _nodes ??= (await _client.Resources.ListAsync<Node>(cancellationToken).ConfigureAwait(false)).Items.ToDictionary(n => n.Name, StringComparer.Ordinal);

    private async Task<IReadOnlyList<Calico.Net.IPPrefix>> BlocksAsync(int family, CancellationToken cancellationToken)
    {
        if (!_blocks.TryGetValue(family, out var blocks))
            _blocks[family] = blocks = await IPPoolClient.ListBlockCidrsAsync(_client.Store, family, cancellationToken).ConfigureAwait(false);
        return blocks;
    }
}
