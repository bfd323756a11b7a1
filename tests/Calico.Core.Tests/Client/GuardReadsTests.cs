using Calico.Client;
using Calico.Datastore;
using Calico.Resources;
using Calico.Tests.Datastore;

namespace Calico.Tests.Client;

/// <summary>The cross-subnet guard reads the nodes only for a pool that becomes CrossSubnet.</summary>
public sealed class GuardReadsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ListRecordingStore _store;
    private readonly CalicoClient _client;

    public GuardReadsTests()
    {
        _store = new ListRecordingStore(new FileKeyValueStore(_dir.Path));
        _client = new CalicoClient(_store);
    }

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    private const string Nodes = "/calico/resources/v3/projectcalico.org/nodes/";

    [Theory]
    [InlineData(IPIPMode.Always, false)]
    [InlineData(IPIPMode.Never, false)]
    [InlineData(IPIPMode.CrossSubnet, true)]
    public async Task Creating_a_pool_reads_the_nodes_only_when_it_becomes_CrossSubnet(IPIPMode mode, bool readsNodes)
    {
        await _client.IPPools.CreateAsync(new IPPool { Name = "p", Spec = { Cidr = "10.0.0.0/16", IPIPMode = mode } });

        Assert.Equal(readsNodes, _store.Listed.Contains(Nodes));
    }

    [Theory]
    [InlineData(IPIPMode.Always, false)]
    [InlineData(IPIPMode.CrossSubnet, true)]
    public async Task A_batch_reads_the_nodes_only_for_a_pool_that_becomes_CrossSubnet(IPIPMode mode, bool readsNodes)
    {
        var batch = new ApplyBatch(_client);
        var pool = new IPPool { Name = "p", Spec = { Cidr = "10.0.0.0/16", IPIPMode = mode } };

        batch.Accept(pool, await batch.PlanAsync(pool));

        Assert.Equal(readsNodes, _store.Listed.Contains(Nodes));
    }

    private sealed class ListRecordingStore(IKeyValueStore inner) : DelegatingStore(inner)
    {
        public HashSet<string> Listed { get; } = new(StringComparer.Ordinal);

        public override Task<KeyValueList> ListAsync(string prefix, CancellationToken cancellationToken = default)
        {
            lock (Listed) Listed.Add(prefix);
            return Inner.ListAsync(prefix, cancellationToken);
        }
    }
}
