using System.Globalization;
using System.Text;
using Calico.Datastore;
using Calico.Resources;
using Calico.Serialization;

namespace Calico.Tests.Datastore;

/// <summary>
/// The one contract both datastores keep, key-value layer and resource layer alike. Each store runs these tests
/// unchanged through a subclass that says how to open an empty store and how to drop its history.
/// </summary>
public abstract class DatastoreContractTests : IAsyncLifetime
{
    private readonly List<IKeyValueStore> _opened = new();

    protected IKeyValueStore Store { get; private set; } = null!;
    protected ResourceStore Resources { get; private set; } = null!;

    /// <summary>A new client of one empty store; later calls in the same test give more clients of that store.</summary>
    protected abstract Task<IKeyValueStore> OpenStoreAsync(bool empty);

    /// <summary>Drops the store's history up to <paramref name="revision"/>, so a watch from before it must fail.</summary>
    protected abstract Task CompactAsync(IKeyValueStore store, long revision);

    public async Task InitializeAsync()
    {
        Store = await OpenStoreAsync(empty: true);
        _opened.Add(Store);
        Resources = new ResourceStore(Store);
    }

    public Task DisposeAsync()
    {
        foreach (var s in _opened) s.Dispose();
        return Task.CompletedTask;
    }

    protected async Task<IKeyValueStore> AnotherClientAsync()
    {
        var s = await OpenStoreAsync(empty: false);
        _opened.Add(s);
        return s;
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static async Task<List<WatchEvent>> TakeAsync(IAsyncEnumerable<WatchEvent> watch, int count, int timeoutSeconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var events = new List<WatchEvent>();
        await using var e = watch.WithCancellation(cts.Token).GetAsyncEnumerator();
        while (events.Count < count && await e.MoveNextAsync()) events.Add(e.Current);
        return events;
    }

    // ---- key-value layer ----

    [Fact]
    public async Task Get_of_a_missing_key_returns_null()
    {
        Assert.Null(await Store.GetAsync("/contract/missing"));
    }

    [Fact]
    public async Task Create_stores_the_bytes_with_etcd_counters()
    {
        var before = (await Store.ListAsync("/contract/")).Revision;
        var value = B("{\"a\":\"é ✓\"}");
        var created = await Store.CreateAsync("/contract/a", value);
        Assert.Equal(before + 1, created.ModRevision);
        Assert.Equal(created.ModRevision, created.CreateRevision);
        Assert.Equal(1, created.Version);
        var read = await Store.GetAsync("/contract/a");
        Assert.NotNull(read);
        Assert.Equal(value, read!.Value);
        Assert.Equal((created.ModRevision, created.CreateRevision, 1L), (read.ModRevision, read.CreateRevision, read.Version));
    }

    [Fact]
    public async Task Create_of_an_existing_key_fails_with_the_current_value()
    {
        var first = await Store.CreateAsync("/contract/a", B("one"));
        var ex = await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => Store.CreateAsync("/contract/a", B("two")));
        Assert.Equal("one", ex.CurrentValue!.ValueText);
        Assert.Equal(first.ModRevision, ex.CurrentValue.ModRevision);
        Assert.Contains("/contract/a", ex.Message);
        Assert.Equal(Store.Location, ex.Location);
        Assert.Equal("one", (await Store.GetAsync("/contract/a"))!.ValueText);
    }

    [Fact]
    public async Task Update_at_the_current_revision_replaces_the_value_and_counts_versions()
    {
        var created = await Store.CreateAsync("/contract/a", B("one"));
        var updated = await Store.UpdateAsync("/contract/a", B("two"), created.ModRevision);
        Assert.Equal(created.ModRevision + 1, updated.ModRevision);
        Assert.Equal(created.CreateRevision, updated.CreateRevision);
        Assert.Equal(2, updated.Version);
        var read = await Store.GetAsync("/contract/a");
        Assert.Equal(("two", updated.ModRevision, 2L), (read!.ValueText, read.ModRevision, read.Version));
    }

    [Fact]
    public async Task Update_at_a_stale_revision_conflicts_and_returns_the_current_value()
    {
        var created = await Store.CreateAsync("/contract/a", B("one"));
        var updated = await Store.UpdateAsync("/contract/a", B("two"), created.ModRevision);
        var ex = await Assert.ThrowsAsync<ResourceConflictException>(() => Store.UpdateAsync("/contract/a", B("three"), created.ModRevision));
        Assert.Equal("two", ex.CurrentValue!.ValueText);
        Assert.Equal(updated.ModRevision, ex.CurrentValue.ModRevision);
        Assert.Contains("/contract/a", ex.Message);
        Assert.Equal("two", (await Store.GetAsync("/contract/a"))!.ValueText);
    }

    [Fact]
    public async Task Update_of_a_missing_key_is_not_found()
    {
        var ex = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Store.UpdateAsync("/contract/none", B("x"), 5));
        Assert.Contains("/contract/none", ex.Message);
        Assert.Null(await Store.GetAsync("/contract/none"));
    }

    [Fact]
    public async Task Delete_returns_the_previous_value_and_removes_the_key()
    {
        var created = await Store.CreateAsync("/contract/a", B("one"));
        var previous = await Store.DeleteAsync("/contract/a");
        Assert.Equal(("one", created.ModRevision), (previous.ValueText, previous.ModRevision));
        Assert.Null(await Store.GetAsync("/contract/a"));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Store.DeleteAsync("/contract/a"));
    }

    [Fact]
    public async Task Delete_guarded_by_revision_conflicts_when_the_key_changed()
    {
        var created = await Store.CreateAsync("/contract/a", B("one"));
        var updated = await Store.UpdateAsync("/contract/a", B("two"), created.ModRevision);
        var ex = await Assert.ThrowsAsync<ResourceConflictException>(() => Store.DeleteAsync("/contract/a", created.ModRevision));
        Assert.Equal("two", ex.CurrentValue!.ValueText);
        Assert.NotNull(await Store.GetAsync("/contract/a"));
        var previous = await Store.DeleteAsync("/contract/a", updated.ModRevision);
        Assert.Equal("two", previous.ValueText);
    }

    [Fact]
    public async Task Recreated_key_starts_a_new_life()
    {
        var first = await Store.CreateAsync("/contract/a", B("one"));
        await Store.DeleteAsync("/contract/a");
        var second = await Store.CreateAsync("/contract/a", B("again"));
        Assert.True(second.CreateRevision > first.CreateRevision);
        Assert.Equal(1, second.Version);
    }

    [Fact]
    public async Task List_returns_the_keys_under_the_prefix_in_byte_order_at_the_store_revision()
    {
        foreach (var k in new[] { "/contract/b", "/contract/a", "/contract/c/d", "/contractx/e", "/contrac" })
            await Store.CreateAsync(k, B(k));
        var last = await Store.CreateAsync("/other/z", B("z"));
        var list = await Store.ListAsync("/contract/");
        Assert.Equal(new[] { "/contract/a", "/contract/b", "/contract/c/d" }, list.Items.Select(i => i.Key));
        Assert.All(list.Items, i => Assert.Equal(i.Key, i.ValueText));
        Assert.Equal(last.ModRevision, list.Revision);
        Assert.Empty(list.Errors);
        Assert.Equal(5, (await Store.ListAsync("/contra")).Items.Count);
    }

    [Fact]
    public async Task List_of_more_keys_than_a_page_is_complete_and_consistent()
    {
        var keys = Enumerable.Range(0, 23).Select(i => $"/contract/page/{i:D3}").ToList();
        foreach (var k in keys) await Store.CreateAsync(k, B(k));
        var list = await Store.ListAsync("/contract/page/");
        Assert.Equal(keys, list.Items.Select(i => i.Key));
    }

    [Fact]
    public async Task Revisions_are_store_wide_so_every_write_gets_the_next_one()
    {
        var a = await Store.CreateAsync("/contract/a", B("a"));
        var b = await Store.CreateAsync("/other/b", B("b"));
        var a2 = await Store.UpdateAsync("/contract/a", B("a2"), a.ModRevision);
        Assert.Equal(a.ModRevision + 1, b.ModRevision);
        Assert.Equal(b.ModRevision + 1, a2.ModRevision);
    }

    [Fact]
    public async Task Watch_reports_adds_changes_and_deletes_after_a_revision_with_previous_values()
    {
        var a = await Store.CreateAsync("/contract/a", B("a1"));
        var watch = Store.WatchAsync("/contract/", a.ModRevision);
        var b = await Store.CreateAsync("/contract/b", B("b1"));
        var b2 = await Store.UpdateAsync("/contract/b", B("b2"), b.ModRevision);
        await Store.CreateAsync("/elsewhere/x", B("x"));
        var gone = await Store.DeleteAsync("/contract/a");
        var events = await TakeAsync(watch, 3);

        Assert.Equal(new[] { WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted }, events.Select(e => e.Type));
        Assert.Equal(new[] { "/contract/b", "/contract/b", "/contract/a" }, events.Select(e => e.Key));
        Assert.Equal(b.ModRevision, events[0].Revision);
        Assert.Equal("b1", events[0].Current!.ValueText);
        Assert.Equal(("b2", b2.ModRevision, 2L), (events[1].Current!.ValueText, events[1].Current!.ModRevision, events[1].Current!.Version));
        Assert.Equal("b1", events[1].Previous!.ValueText);
        Assert.Null(events[2].Current);
        Assert.Equal(("a1", a.ModRevision), (events[2].Previous!.ValueText, events[2].Previous!.ModRevision));
        Assert.True(events[2].Revision > b2.ModRevision);
        Assert.Equal(gone.ModRevision, events[2].Previous!.ModRevision);
    }

    [Fact]
    public async Task Watch_resumes_after_the_last_revision_seen()
    {
        var start = (await Store.ListAsync("/contract/")).Revision;
        await Store.CreateAsync("/contract/a", B("a"));
        await Store.CreateAsync("/contract/b", B("b"));
        await Store.CreateAsync("/contract/c", B("c"));
        var first = await TakeAsync(Store.WatchAsync("/contract/", start), 2);
        var rest = await TakeAsync(Store.WatchAsync("/contract/", first[^1].Revision), 1);
        Assert.Equal(new[] { "/contract/a", "/contract/b" }, first.Select(e => e.Key));
        Assert.Equal("/contract/c", rest.Single().Key);
    }

    [Fact]
    public async Task Watch_sees_writes_from_another_client()
    {
        var other = await AnotherClientAsync();
        var start = (await Store.ListAsync("/contract/")).Revision;
        var watch = TakeAsync(Store.WatchAsync("/contract/", start), 1);
        await Task.Delay(100);
        var written = await other.CreateAsync("/contract/remote", B("r"));
        var e = (await watch).Single();
        Assert.Equal((WatchEventType.Added, "/contract/remote", written.ModRevision), (e.Type, e.Key, e.Revision));
    }

    [Fact]
    public async Task Watch_from_a_compacted_revision_is_a_clear_error()
    {
        var old = await Store.CreateAsync("/contract/a", B("a"));
        var b = await Store.CreateAsync("/contract/b", B("b"));
        await CompactAsync(Store, b.ModRevision);
        await Store.CreateAsync("/contract/c", B("c"));
        var ex = await Assert.ThrowsAsync<RevisionCompactedException>(() => TakeAsync(Store.WatchAsync("/contract/", old.ModRevision - 1), 1));
        Assert.Equal(old.ModRevision - 1, ex.RequestedRevision);
        Assert.True(ex.OldestRevision >= old.ModRevision, $"oldest {ex.OldestRevision}");
        Assert.Contains("compacted", ex.Message);
        // From the compaction point on, history is still there.
        var events = await TakeAsync(Store.WatchAsync("/contract/", b.ModRevision), 1);
        Assert.Equal("/contract/c", events.Single().Key);
    }

    [Fact]
    public async Task Every_client_sees_every_committed_write()
    {
        var other = await AnotherClientAsync();
        var created = await Store.CreateAsync("/contract/a", B("one"));
        var seen = await other.GetAsync("/contract/a");
        var updated = await other.UpdateAsync("/contract/a", B("two"), seen!.ModRevision);
        var back = await Store.GetAsync("/contract/a");
        Assert.Equal(("two", updated.ModRevision), (back!.ValueText, back.ModRevision));
        Assert.True(updated.ModRevision > created.ModRevision);
    }

    // ---- resource layer ----

    private static IPPool Pool(string name, string cidr = "192.168.0.0/16") => new()
    {
        Name = name,
        Spec = { Cidr = cidr, IPIPMode = IPIPMode.CrossSubnet, VXLANMode = VXLANMode.Never, NatOutgoing = true, BlockSize = 26, NodeSelector = "all()" },
    };

    [Fact]
    public async Task Create_fills_uid_and_creation_time_and_stores_Calico_json_without_resourceVersion()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var created = await Resources.CreateAsync(Pool("p1"));
        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        var ts = created.Metadata.CreationTimestamp!.Value;
        Assert.Equal(TimeSpan.Zero, ts.Offset);
        Assert.Equal(0, ts.Millisecond);
        Assert.InRange(ts, before, DateTimeOffset.UtcNow.AddSeconds(1));
        var kv = await Store.GetAsync("/calico/resources/v3/projectcalico.org/ippools/p1");
        Assert.Equal(kv!.ModRevision.ToString(CultureInfo.InvariantCulture), created.ResourceVersion);
        var expected = created.Clone();
        expected.Metadata.ResourceVersion = null;
        Assert.Equal(ResourceJson.Serialize(expected), kv.ValueText);
        Assert.DoesNotContain("resourceVersion", kv.ValueText);
    }

    [Fact]
    public async Task Create_keeps_a_given_uid_and_clears_selfLink()
    {
        var pool = Pool("p1");
        pool.Metadata.Uid = "11111111-2222-3333-4444-555555555555";
        pool.Metadata.SelfLink = "/apis/x";
        var created = await Resources.CreateAsync(pool);
        Assert.Equal("11111111-2222-3333-4444-555555555555", created.Metadata.Uid);
        Assert.Null(created.Metadata.SelfLink);
        Assert.DoesNotContain("selfLink", (await Store.GetAsync(ResourceKeys.Key("IPPool", "p1")))!.ValueText);
        Assert.Null(pool.ResourceVersion);
    }

    [Fact]
    public async Task Create_rejects_a_missing_name_and_a_resourceVersion()
    {
        var noName = await Assert.ThrowsAsync<ManifestException>(() => Resources.CreateAsync(Pool("")));
        Assert.Equal("metadata.name", noName.Errors.Single().Field);
        var withVersion = Pool("p1");
        withVersion.Metadata.ResourceVersion = "7";
        var ex = await Assert.ThrowsAsync<ManifestException>(() => Resources.CreateAsync(withVersion));
        Assert.Equal(("metadata.resourceVersion", "7"), (ex.Errors.Single().Field, ex.Errors.Single().Value));
        Assert.Empty((await Resources.ListAsync<IPPool>()).Items);
    }

    [Fact]
    public async Task Create_of_an_existing_resource_fails_carrying_it()
    {
        var first = await Resources.CreateAsync(Pool("p1"));
        var ex = await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => Resources.CreateAsync(Pool("p1", "10.0.0.0/8")));
        var current = Assert.IsType<IPPool>(ex.Current);
        Assert.Equal(("192.168.0.0/16", first.ResourceVersion), (current.Spec.Cidr, current.ResourceVersion));
        Assert.Contains("IPPool p1 already exists", ex.Message);
        Assert.Contains("/calico/resources/v3/projectcalico.org/ippools/p1", ex.Message);
    }

    [Fact]
    public async Task Get_returns_the_resource_with_its_ModRevision_as_resourceVersion()
    {
        var created = await Resources.CreateAsync(new Node { Name = "n1", Spec = { BGP = new NodeBGPSpec { IPv4Address = "10.0.2.15/24" } } });
        var node = await Resources.GetAsync<Node>("n1");
        Assert.Equal(created.ResourceVersion, node.ResourceVersion);
        Assert.Equal("10.0.2.15/24", node.IPv4Address);
        Assert.Equal(created.Metadata.Uid, node.Metadata.Uid);
        var ex = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Resources.GetAsync<Node>("n2"));
        Assert.Contains("Node n2 does not exist", ex.Message);
        Assert.Contains("/calico/resources/v3/projectcalico.org/nodes/n2", ex.Message);
    }

    [Fact]
    public async Task Update_needs_resourceVersion_uid_and_creationTimestamp()
    {
        var created = await Resources.CreateAsync(Pool("p1"));
        foreach (var (field, change) in new (string, Action<IPPool>)[]
        {
            ("metadata.resourceVersion", p => p.Metadata.ResourceVersion = null),
            ("metadata.uid", p => p.Metadata.Uid = null),
            ("metadata.creationTimestamp", p => p.Metadata.CreationTimestamp = null),
        })
        {
            var p = created.Clone();
            change(p);
            var ex = await Assert.ThrowsAsync<ManifestException>(() => Resources.UpdateAsync(p));
            Assert.Equal(field, ex.Errors.Single().Field);
        }
        var bad = created.Clone();
        bad.Metadata.ResourceVersion = "abc";
        Assert.Equal("metadata.resourceVersion", (await Assert.ThrowsAsync<ManifestException>(() => Resources.UpdateAsync(bad))).Errors.Single().Field);
    }

    [Fact]
    public async Task Update_returns_the_new_resourceVersion_and_a_stale_one_conflicts_carrying_the_current_pool()
    {
        var created = await Resources.CreateAsync(Pool("p1"));
        var change = created.Clone();
        change.Spec.NatOutgoing = false;
        var updated = await Resources.UpdateAsync(change);
        Assert.NotEqual(created.ResourceVersion, updated.ResourceVersion);
        Assert.False((await Resources.GetAsync<IPPool>("p1")).Spec.NatOutgoing);

        var stale = created.Clone();
        stale.Spec.Disabled = true;
        var ex = await Assert.ThrowsAsync<ResourceConflictException>(() => Resources.UpdateAsync(stale));
        var current = Assert.IsType<IPPool>(ex.Current);
        Assert.Equal(updated.ResourceVersion, current.ResourceVersion);
        Assert.False(current.Spec.NatOutgoing);
        Assert.Contains("IPPool p1", ex.Message);
        Assert.False((await Resources.GetAsync<IPPool>("p1")).Spec.Disabled);
    }

    [Fact]
    public async Task Update_of_a_missing_resource_is_not_found()
    {
        var created = await Resources.CreateAsync(Pool("p1"));
        await Resources.DeleteAsync<IPPool>("p1");
        var ex = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Resources.UpdateAsync(created));
        Assert.Contains("IPPool p1 does not exist", ex.Message);
    }

    [Fact]
    public async Task Delete_returns_the_resource_as_it_was_and_honours_resourceVersion()
    {
        var created = await Resources.CreateAsync(Pool("p1"));
        var change = created.Clone();
        change.Spec.Disabled = true;
        var updated = await Resources.UpdateAsync(change);
        await Assert.ThrowsAsync<ResourceConflictException>(() => Resources.DeleteAsync<IPPool>("p1", created.ResourceVersion));
        var deleted = await Resources.DeleteAsync<IPPool>("p1", updated.ResourceVersion);
        Assert.True(deleted!.Spec.Disabled);
        Assert.Equal(updated.ResourceVersion, deleted.ResourceVersion);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Resources.DeleteAsync<IPPool>("p1"));
    }

    [Fact]
    public async Task List_returns_the_good_resources_and_one_error_per_unreadable_value()
    {
        await Resources.CreateAsync(Pool("a", "10.1.0.0/16"));
        await Store.CreateAsync(ResourceKeys.Key("IPPool", "b"), B("{not json"));
        await Store.CreateAsync(ResourceKeys.Key("IPPool", "c"), B("{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"c\"},\"spec\":{},\"status\":{}}"));
        await Resources.CreateAsync(Pool("d", "10.2.0.0/16"));
        await Resources.CreateAsync(new Node { Name = "n1" });

        var list = await Resources.ListAsync<IPPool>();
        Assert.Equal(new[] { "a", "d" }, list.Items.Select(p => p.Name));
        Assert.Equal(new[] { ResourceKeys.Key("IPPool", "b"), ResourceKeys.Key("IPPool", "c") }, list.Errors.Select(e => e.Key));
        Assert.All(list.Errors, e => Assert.Contains(e.Key!, e.Message));
        Assert.Contains("not valid JSON", list.Errors[0].Message);
        Assert.Contains("IPPool", list.Errors[1].Message);
        Assert.Equal(Store.Location, list.Errors[0].Location);
        var ex = await Assert.ThrowsAsync<DatastoreCorruptException>(() => Resources.GetAsync<IPPool>("b"));
        Assert.Contains("IPPool b cannot be read", ex.Message);
        Assert.Single((await Resources.ListAsync<Node>()).Items);
    }

    [Fact]
    public async Task List_resourceVersion_is_the_store_revision()
    {
        await Resources.CreateAsync(Pool("a"));
        var node = await Resources.CreateAsync(new Node { Name = "n1" });
        var list = await Resources.ListAsync<IPPool>();
        Assert.Equal(node.ResourceVersion, list.ResourceVersion);
    }

    [Fact]
    public async Task Watch_without_resourceVersion_lists_first_then_follows_changes()
    {
        var a = await Resources.CreateAsync(Pool("a", "10.1.0.0/16"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = Resources.WatchAsync<IPPool>(null, cts.Token).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal((WatchEventType.Added, "a", a.ResourceVersion), (watch.Current.Type, watch.Current.Name, watch.Current.Object!.ResourceVersion));

        var change = a.Clone();
        change.Spec.Disabled = true;
        var updated = await Resources.UpdateAsync(change);
        await Resources.CreateAsync(new Node { Name = "n1" });
        await Resources.DeleteAsync<IPPool>("a");

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal((WatchEventType.Modified, updated.ResourceVersion), (watch.Current.Type, watch.Current.ResourceVersion));
        Assert.True(watch.Current.Object!.Spec.Disabled);
        Assert.False(watch.Current.Previous!.Spec.Disabled);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(WatchEventType.Deleted, watch.Current.Type);
        Assert.Equal("a", watch.Current.Object!.Name);
    }

    [Fact]
    public async Task Parallel_read_modify_write_with_retry_loses_no_update()
    {
        const int writers = 8, increments = 15;
        await Resources.CreateAsync(Pool("counter"));
        var clients = new List<ResourceStore>();
        for (var i = 0; i < writers; i++) clients.Add(new ResourceStore(await AnotherClientAsync()));
        var conflicts = 0;
        await Task.WhenAll(clients.Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < increments; i++)
            {
                while (true)
                {
                    var pool = await c.GetAsync<IPPool>("counter");
                    pool.Metadata.Labels ??= new Dictionary<string, string>();
                    var n = pool.Metadata.Labels.TryGetValue("count", out var t) ? int.Parse(t, CultureInfo.InvariantCulture) : 0;
                    pool.Metadata.Labels["count"] = (n + 1).ToString(CultureInfo.InvariantCulture);
                    try { await c.UpdateAsync(pool); break; }
                    catch (ResourceConflictException) { Interlocked.Increment(ref conflicts); }
                }
            }
        })));
        var final = await Resources.GetAsync<IPPool>("counter");
        Assert.Equal((writers * increments).ToString(CultureInfo.InvariantCulture), final.Metadata.Labels!["count"]);
    }
}
