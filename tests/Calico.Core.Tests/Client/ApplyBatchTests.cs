using Calico.Client;
using Calico.Datastore;
using Calico.Resources;
using Calico.Tests.Datastore;
using Calico.Validation;

namespace Calico.Tests.Client;

/// <summary>An apply of many resources at once ends exactly as applying them one by one in order would.</summary>
public sealed class ApplyBatchTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CalicoClient _client;

    public ApplyBatchTests()
    {
        _client = new CalicoClient(new FileKeyValueStore(_dir.Path));
    }

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    private static IPPool Pool(string name, string cidr, IPIPMode? mode = null, bool nat = false) =>
        new() { Name = name, Spec = { Cidr = cidr, IPIPMode = mode, NatOutgoing = nat } };

    private static Node Node(string name, string ipv4) => new() { Name = name, Spec = { BGP = new NodeBGPSpec { IPv4Address = ipv4 } } };

    /// <summary>Plans and accepts each resource in order (refusals recorded by name), then commits.</summary>
    private static async Task<(IReadOnlyList<ApplyBatch.Accepted> Written, Dictionary<string, Exception> Refused, List<string> Unchanged)> ApplyTogether(
        CalicoClient client, IEnumerable<CalicoResource> resources, WriteOptions? options = null)
    {
        var batch = new ApplyBatch(client, options);
        var refused = new Dictionary<string, Exception>();
        var unchanged = new List<string>();
        foreach (var resource in resources)
        {
            try
            {
                var plan = await batch.PlanAsync(resource);
                if (plan.Action == ApplyAction.Unchanged) unchanged.Add(resource.Name);
                else batch.Accept(resource, plan);
            }
            catch (Exception ex) when (ex is ResourceValidationException or CrossSubnetGuardException or ResourceConflictException)
            {
                refused[resource.Name] = ex;
            }
        }
        return (await batch.CommitAsync(), refused, unchanged);
    }

    private static async Task<Dictionary<string, string>> StoredSpecs(CalicoClient client)
    {
        var specs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in (await client.IPPools.ListAsync()).Items) specs["pool " + p.Name] = $"{p.Cidr} {p.IPIPMode} nat={p.Spec.NatOutgoing} block={p.Spec.BlockSize}";
        foreach (var n in (await client.Nodes.ListAsync()).Items) specs["node " + n.Name] = $"{n.IPv4Address} labels={string.Join(",", n.Metadata.Labels ?? new())}";
        return specs;
    }

    [Fact]
    public async Task A_batch_stores_what_applying_one_by_one_in_order_stores()
    {
        IEnumerable<CalicoResource> Input() => new CalicoResource[]
        {
            Pool("stored", "10.1.0.0/16", IPIPMode.Always, nat: true),     // updated
            Pool("same", "10.2.0.0/16"),                                    // unchanged
            Node("n1", "172.20.0.1/24"),                                     // created
            Pool("new", "10.3.0.0/16", IPIPMode.CrossSubnet),               // created
            Pool("clash", "10.3.128.0/17"),                                 // overlaps "new" of this batch
            Node("n1", "172.20.0.1/16"),                                     // the same node again
        };
        using var sequentialDir = new TempDirectory();
        using var sequential = new CalicoClient(new FileKeyValueStore(sequentialDir.Path));
        foreach (var client in new[] { _client, sequential })
        {
            await client.IPPools.CreateAsync(Pool("stored", "10.1.0.0/16"));
            await client.IPPools.CreateAsync(Pool("same", "10.2.0.0/16"));
        }
        var sequentialRefused = new List<string>();
        foreach (var resource in Input())
        {
            try
            {
                _ = resource is IPPool p ? (object)await sequential.IPPools.ApplyAsync(p) : await sequential.Nodes.ApplyAsync((Node)resource);
            }
            catch (ResourceValidationException)
            {
                sequentialRefused.Add(resource.Name);
            }
        }

        var (written, refused, unchanged) = await ApplyTogether(_client, Input());

        Assert.Equal(await StoredSpecs(sequential), await StoredSpecs(_client));
        Assert.Equal(sequentialRefused, refused.Keys);
        Assert.Equal(new[] { "same" }, unchanged);
        Assert.Equal(
            new[] { "stored Updated", "n1 Created", "new Created", "n1 Updated" },
            written.Select(w => $"{w.Result!.Resource.Name} {w.Result.Action}"));
        Assert.All(written, w => Assert.Null(w.Error));
        var n1 = written.Where(w => w.Result!.Resource.Name == "n1").Select(w => long.Parse(w.Result!.Resource.ResourceVersion!)).ToList();
        Assert.True(n1[1] > n1[0], "the second write of n1 is made on the revision the first stored");
    }

    [Fact]
    public async Task A_repeat_that_changes_nothing_reports_the_resource_as_the_batch_stored_it()
    {
        var batch = new ApplyBatch(_client);
        foreach (var input in new[] { Pool("p", "10.0.0.0/16"), Pool("p", "10.0.0.0/16") })
            batch.Accept(input, await batch.PlanAsync(input));

        var outcomes = await batch.CommitAsync();

        Assert.Equal(new[] { ApplyAction.Created, ApplyAction.Unchanged }, outcomes.Select(o => o.Result!.Action));
        var stored = await _client.IPPools.GetAsync("p");
        Assert.All(outcomes, o => Assert.Equal(stored.ResourceVersion, o.Result!.Resource.ResourceVersion));
    }

    [Fact]
    public async Task A_pool_overlapping_an_earlier_pool_of_the_batch_is_refused_and_not_written()
    {
        var (written, refused, _) = await ApplyTogether(_client, new[] { Pool("a", "10.0.0.0/16"), Pool("b", "10.0.1.0/24") });

        var error = Assert.IsType<ResourceValidationException>(refused["b"]);
        Assert.Contains(error.Errors, e => e.Field == "spec.cidr" && e.Message.Contains("overlaps with IPPool(a)", StringComparison.Ordinal));
        Assert.Equal(new[] { "a" }, written.Select(w => w.Result!.Resource.Name));
        Assert.Equal(new[] { "a" }, (await _client.IPPools.ListAsync()).Items.Select(p => p.Name));
    }

    [Fact]
    public async Task A_node_given_a_subnet_earlier_in_the_batch_lets_a_CrossSubnet_pool_through()
    {
        await _client.Nodes.CreateAsync(Node("old", "172.20.0.1"));
        var guarded = await ApplyTogether(_client, new CalicoResource[] { Pool("p", "10.0.0.0/16", IPIPMode.CrossSubnet) });
        Assert.IsType<CrossSubnetGuardException>(guarded.Refused["p"]);

        var fixedFirst = await ApplyTogether(_client, new CalicoResource[] { Node("old", "172.20.0.1/24"), Pool("p", "10.0.0.0/16", IPIPMode.CrossSubnet) });

        Assert.Empty(fixedFirst.Refused);
        Assert.Equal(IPIPMode.CrossSubnet, (await _client.IPPools.GetAsync("p")).IPIPMode);
    }

    [Fact]
    public async Task A_resourceVersion_that_is_not_the_latest_is_refused()
    {
        var stored = await _client.IPPools.CreateAsync(Pool("p", "10.0.0.0/16"));
        var stale = Pool("p", "10.0.0.0/16", nat: true);
        stale.Metadata.ResourceVersion = (long.Parse(stored.ResourceVersion!) - 1).ToString();

        var (_, refused, _) = await ApplyTogether(_client, new[] { stale });

        Assert.Contains("is out of date", Assert.IsType<ResourceConflictException>(refused["p"]).Message, StringComparison.Ordinal);
        Assert.False((await _client.IPPools.GetAsync("p")).Spec.NatOutgoing);
    }

    [Fact]
    public async Task A_resource_another_writer_created_after_the_plan_is_applied_over_what_they_stored()
    {
        var batch = new ApplyBatch(_client);
        var input = Pool("p", "10.0.0.0/16", IPIPMode.Always);
        var plan = await batch.PlanAsync(input);
        Assert.Equal(ApplyAction.Created, plan.Action);
        batch.Accept(input, plan);
        using var other = new CalicoClient(new FileKeyValueStore(_dir.Path));
        var theirs = await other.IPPools.CreateAsync(Pool("p", "10.0.0.0/16"));

        var outcome = Assert.Single(await batch.CommitAsync());

        Assert.Null(outcome.Error);
        Assert.Equal(ApplyAction.Updated, outcome.Result!.Action);
        var stored = await _client.IPPools.GetAsync("p");
        Assert.Equal(IPIPMode.Always, stored.IPIPMode);
        Assert.Equal(theirs.Metadata.Uid, stored.Metadata.Uid);
    }

    [Fact]
    public async Task Creating_a_node_initialises_the_datastore_as_Calico_does()
    {
        await ApplyTogether(_client, new[] { Node("n1", "172.20.0.1/24") });

        Assert.NotNull(await _client.Store.GetAsync(ClusterInformationKey));
    }

    private const string ClusterInformationKey = "/calico/resources/v3/projectcalico.org/clusterinformations/default";
}
