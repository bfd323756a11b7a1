using System.Text;
using Calico.Client;
using Calico.Datastore;
using Calico.Resources;

namespace Calico.Tests.Datastore;

/// <summary>Many conditional puts in one etcd transaction, and an apply of many resources through them.</summary>
public sealed class EtcdTransactionTests(EtcdServer etcd) : IClassFixture<EtcdServer>
{
    private static byte[] Text(string value) => Encoding.UTF8.GetBytes(value);

    [Fact]
    public async Task A_transaction_writes_every_key_when_every_condition_holds()
    {
        await etcd.WipeAsync();
        using var store = etcd.OpenStore();
        var existing = await store.CreateAsync("/t/b", Text("old"));

        var stored = await store.TryCommitAsync([new KeyWrite("/t/a", Text("1"), null), new KeyWrite("/t/b", Text("2"), existing.ModRevision)]);

        Assert.NotNull(stored);
        Assert.Equal(new[] { 1L, 2L }, stored!.Select(kv => kv.Version));
        Assert.Equal(existing.CreateRevision, stored[1].CreateRevision);
        Assert.All(stored, kv => Assert.Equal(stored[0].ModRevision, kv.ModRevision));
        Assert.Equal("2", (await store.GetAsync("/t/b"))!.ValueText);
        Assert.Equal(stored[1].ModRevision, (await store.GetAsync("/t/b"))!.ModRevision);
    }

    [Fact]
    public async Task A_transaction_with_one_failed_condition_writes_nothing()
    {
        await etcd.WipeAsync();
        using var store = etcd.OpenStore();
        await store.CreateAsync("/t/b", Text("theirs"));

        var stored = await store.TryCommitAsync([new KeyWrite("/t/a", Text("1"), null), new KeyWrite("/t/b", Text("2"), null)]);

        Assert.Null(stored);
        Assert.Null(await store.GetAsync("/t/a"));
        Assert.Equal("theirs", (await store.GetAsync("/t/b"))!.ValueText);
    }

    [Fact]
    public async Task An_apply_of_more_resources_than_one_transaction_holds_stores_them_all_and_repairs_a_race()
    {
        await etcd.WipeAsync();
        using var client = new CalicoClient(etcd.OpenStore());
        using var other = new CalicoClient(etcd.OpenStore());
        var batch = new ApplyBatch(client);
        var inputs = Enumerable.Range(0, 300).Select(i => (CalicoResource)new Node
        {
            Name = $"node-{i:D3}", Spec = { BGP = new NodeBGPSpec { IPv4Address = $"172.20.{i / 250}.{i % 250 + 1}/16" } },
        }).Append(new Node { Name = "node-007", Spec = { BGP = new NodeBGPSpec { IPv4Address = "172.20.9.9/16" } } }).ToList();
        foreach (var input in inputs) batch.Accept(input, await batch.PlanAsync(input));
        // Another writer creates one of the nodes after the plan: the transaction holding it is refused whole.
        await other.Nodes.CreateAsync(new Node { Name = "node-200", Spec = { BGP = new NodeBGPSpec { IPv4Address = "10.9.9.9/8" } } });

        var outcomes = await batch.CommitAsync();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        var stored = (await client.Nodes.ListAsync()).Items.ToDictionary(n => n.Name);
        Assert.Equal(300, stored.Count);
        Assert.Equal("172.20.0.201/16", stored["node-200"].IPv4Address);
        Assert.Equal(ApplyAction.Updated, outcomes.Single(o => o.Input.Name == "node-200").Result!.Action);
        Assert.Equal("172.20.9.9/16", stored["node-007"].IPv4Address);
        Assert.Equal(stored["node-007"].ResourceVersion, outcomes.Last().Result!.Resource.ResourceVersion);
        Assert.All(outcomes.Where(o => o.Input.Name != "node-007"), o => Assert.Equal(stored[o.Input.Name].ResourceVersion, o.Result!.Resource.ResourceVersion));
    }
}
