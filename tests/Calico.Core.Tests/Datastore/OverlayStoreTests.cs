using System.Text;
using Calico.Client;
using Calico.Datastore;
using Calico.Resources;

namespace Calico.Tests.Datastore;

public sealed class OverlayStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FileKeyValueStore _real;
    private readonly OverlayKeyValueStore _overlay;

    public OverlayStoreTests()
    {
        _real = new FileKeyValueStore(_dir.Path);
        _overlay = new OverlayKeyValueStore(_real);
    }

    public void Dispose()
    {
        _real.Dispose();
        _dir.Dispose();
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Writes_stay_in_the_overlay_and_reads_see_them()
    {
        var stored = await _real.CreateAsync("/a/1", B("one"));
        var updated = await _overlay.UpdateAsync("/a/1", B("uno"), stored.ModRevision);
        await _overlay.CreateAsync("/a/2", B("two"));
        Assert.True(updated.ModRevision > stored.ModRevision);
        Assert.Equal("uno", (await _overlay.GetAsync("/a/1"))!.ValueText);
        Assert.Equal(new[] { "/a/1", "/a/2" }, (await _overlay.ListAsync("/a/")).Items.Select(i => i.Key));
        Assert.Equal("one", (await _real.GetAsync("/a/1"))!.ValueText);
        Assert.Null(await _real.GetAsync("/a/2"));
    }

    [Fact]
    public async Task Deletes_hide_the_real_key_and_rules_still_hold()
    {
        var stored = await _real.CreateAsync("/a/1", B("one"));
        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => _overlay.CreateAsync("/a/1", B("x")));
        await Assert.ThrowsAsync<ResourceConflictException>(() => _overlay.UpdateAsync("/a/1", B("x"), stored.ModRevision + 5));
        await _overlay.DeleteAsync("/a/1");
        Assert.Null(await _overlay.GetAsync("/a/1"));
        Assert.Empty((await _overlay.ListAsync("/a/")).Items);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _overlay.DeleteAsync("/a/1"));
        Assert.NotNull(await _real.GetAsync("/a/1"));
    }

    [Fact]
    public async Task A_preview_client_sees_its_own_earlier_steps()
    {
        using var real = new CalicoClient(_real);
        await real.Nodes.CreateAsync(new Node { Name = "node1", Spec = { BGP = new NodeBGPSpec { IPv4Address = "10.0.2.15/32" } } });
        var preview = new CalicoClient(new OverlayKeyValueStore(_real));
        // The node fix comes first, so the CrossSubnet pool after it passes the guard, as a real import of both would.
        await preview.Nodes.ApplyAsync(new Node { Name = "node1", Spec = { BGP = new NodeBGPSpec { IPv4Address = "10.0.2.15/24" } } });
        var pool = await preview.IPPools.ApplyAsync(new IPPool { Name = "p", Spec = { Cidr = "192.168.0.0/16", IPIPMode = IPIPMode.CrossSubnet } });
        Assert.Equal(ApplyAction.Created, pool.Action);
        Assert.Empty((await real.IPPools.ListAsync()).Items);
        Assert.Equal("10.0.2.15/32", (await real.Nodes.GetAsync("node1")).IPv4Address);
    }
}
