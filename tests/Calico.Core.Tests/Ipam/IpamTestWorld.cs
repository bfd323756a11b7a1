using System.Text;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;
using Calico.Tests.Datastore;

namespace Calico.Tests.Ipam;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A scratch file datastore plus the pools and nodes IPAM decides with.</summary>
internal sealed class IpamTestWorld : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    public IpamTestWorld(IKeyValueStore? store = null)
    {
        Store = store ?? new FileKeyValueStore(_directory.Path);
    }

    /// <summary>A world with one pool "p" and nodes without labels.</summary>
    public static IpamTestWorld WithPool(string cidr, int blockSize, params string[] nodes)
    {
        var world = new IpamTestWorld();
        world.AddPool("p", cidr, blockSize);
        foreach (var node in nodes) world.AddNode(node);
        return world;
    }

    public IKeyValueStore Store { get; }
    public ManualClock Clock { get; } = new(Start);
    public List<IPPool> Pools { get; } = [];
    public List<Node> Nodes { get; } = [];

    public IpamClient Client() => new(Store, Pools, Nodes, Clock);

    public IPPool AddPool(string name, string cidr, int blockSize = 0, Action<IPPoolSpec>? configure = null)
    {
        var pool = new IPPool { Metadata = new ObjectMeta { Name = name }, Spec = new IPPoolSpec { Cidr = cidr, BlockSize = blockSize } };
        configure?.Invoke(pool.Spec);
        Pools.Add(pool);
        return pool;
    }

    public Node AddNode(string name, params (string Key, string Value)[] labels)
    {
        var node = new Node { Metadata = new ObjectMeta { Name = name } };
        if (labels.Length > 0) node.Metadata.Labels = labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        Nodes.Add(node);
        return node;
    }

    public async Task PutAsync(string key, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var existing = await Store.GetAsync(key);
        if (existing is null) await Store.CreateAsync(key, bytes);
        else await Store.UpdateAsync(key, bytes, existing.ModRevision);
    }

    public async Task<string?> ValueAsync(string key) => (await Store.GetAsync(key))?.ValueText;

    public async Task<AllocationBlock> BlockAsync(string cidr) =>
        IpamJson.DeserializeBlock((await ValueAsync(IpamKeys.Block(Calico.Net.IPPrefix.Parse(cidr))))!);

    public async Task<IReadOnlyList<string>> KeysAsync(string prefix) =>
        (await Store.ListAsync(prefix)).Items.Select(i => i.Key).ToList();

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }
}
