using System.Text;
using System.Text.Json;
using Calico.Datastore;
using Calico.Resources;

namespace Calico.Tests.Datastore;

/// <summary>The etcd store and Calico's own tools share a cluster: what etcdctl writes we read, and the other way round.</summary>
public sealed class EtcdInteropTests(EtcdServer etcd) : IClassFixture<EtcdServer>
{
    private const string Key = "/calico/resources/v3/projectcalico.org/ippools/p1";

    // The reference's example of what libcalico-go's client stores for a pool, defaults included.
    private const string StoredPool =
        "{\"kind\":\"IPPool\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"p1\",\"uid\":\"0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
        + "\"spec\":{\"cidr\":\"192.168.0.0/16\",\"vxlanMode\":\"Never\",\"ipipMode\":\"CrossSubnet\",\"natOutgoing\":true,\"blockSize\":26,\"nodeSelector\":\"all()\",\"allowedUses\":[\"Workload\",\"Tunnel\"],\"assignmentMode\":\"Automatic\"}}";

    private async Task<(string Value, long ModRevision)> EtcdctlGetAsync(string key)
    {
        using var doc = JsonDocument.Parse(await etcd.EtcdctlAsync("get", key, "-w", "json"));
        var kv = doc.RootElement.GetProperty("kvs")[0];
        Assert.Equal(key, Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!)));
        return (Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("value").GetString()!)), kv.GetProperty("mod_revision").GetInt64());
    }

    [Fact]
    public async Task A_pool_put_by_etcdctl_in_Calicos_json_reads_back_typed_with_its_ModRevision_as_resourceVersion()
    {
        await etcd.WipeAsync();
        await etcd.EtcdctlAsync("put", Key, StoredPool);
        var (_, modRevision) = await EtcdctlGetAsync(Key);
        using var store = etcd.OpenStore();
        var pool = await new ResourceStore(store).GetAsync<IPPool>("p1");
        Assert.Equal(modRevision.ToString(System.Globalization.CultureInfo.InvariantCulture), pool.ResourceVersion);
        Assert.Equal(("192.168.0.0/16", IPIPMode.CrossSubnet, VXLANMode.Never, true, 26), (pool.Spec.Cidr, pool.IPIPMode, pool.VXLANMode, pool.NatOutgoing, pool.Spec.BlockSize));
        Assert.Equal("0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11", pool.Metadata.Uid);
        Assert.Equal(new[] { IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel }, pool.Spec.AllowedUses);
    }

    [Fact]
    public async Task A_pool_we_create_reads_back_with_etcdctl_as_Calicos_json_byte_for_byte()
    {
        await etcd.WipeAsync();
        using var store = etcd.OpenStore();
        var created = await new ResourceStore(store).CreateAsync(new IPPool
        {
            Metadata = { Name = "p1", Uid = "0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11", CreationTimestamp = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) },
            Spec =
            {
                Cidr = "192.168.0.0/16", VXLANMode = VXLANMode.Never, IPIPMode = IPIPMode.CrossSubnet, NatOutgoing = true, BlockSize = 26,
                NodeSelector = "all()", AllowedUses = new() { IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel }, AssignmentMode = AssignmentMode.Automatic,
            },
        });
        var (value, modRevision) = await EtcdctlGetAsync(Key);
        Assert.Equal(created.ResourceVersion, modRevision.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Field by field first, so a difference is easy to read; then the bytes.
        using var ours = JsonDocument.Parse(value);
        using var theirs = JsonDocument.Parse(StoredPool);
        Assert.Equal(Flatten(theirs.RootElement), Flatten(ours.RootElement));
        Assert.Equal(StoredPool, value);
    }

    private static List<string> Flatten(JsonElement e, string path = "")
    {
        var result = new List<string>();
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) result.AddRange(Flatten(p.Value, path + "." + p.Name));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) result.AddRange(Flatten(item, $"{path}[{i++}]"));
                break;
            default:
                result.Add($"{path}={e.GetRawText()}");
                break;
        }
        return result;
    }

    [Fact]
    public async Task A_dead_endpoint_is_skipped_for_a_live_one()
    {
        await etcd.WipeAsync();
        var dead = $"http://127.0.0.1:{EtcdServer.FreePort()}";
        using var store = new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { dead, etcd.Endpoint } });
        var created = await store.CreateAsync("/failover/a", Encoding.UTF8.GetBytes("a"));
        Assert.Equal("a", (await store.GetAsync("/failover/a"))!.ValueText);
        Assert.Equal(created.ModRevision, (await store.ListAsync("/failover/")).Revision);
        Assert.Contains(dead, store.Location);
    }
}
