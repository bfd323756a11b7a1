using System.Text;
using Calico.Client;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;
using Calico.Tests.Datastore;
using Calico.Tests.Routing;

namespace Calico.Tests.Analysis;

/// <summary>The seed's lab (SeedLab) stored in a temporary file datastore, read back through a CalicoClient.</summary>
internal sealed class AnalysisLab : IDisposable
{
    private readonly TempDirectory _dir = new();

    public AnalysisLab()
    {
        Store = new FileKeyValueStore(_dir.Path);
        Client = new CalicoClient(Store);
    }

    public IKeyValueStore Store { get; }
    public CalicoClient Client { get; }

    /// <summary>The seed: three nodes, one pool in <paramref name="mode"/>, one block per node.</summary>
    public static async Task<AnalysisLab> SeedAsync(IPIPMode mode)
    {
        var lab = new AnalysisLab();
        foreach (var node in SeedLab.Nodes()) await lab.Client.Nodes.CreateAsync(node);
        await lab.Client.IPPools.CreateAsync(SeedLab.IPIPPool(mode));
        foreach (var block in SeedLab.Blocks()) await lab.PutBlockAsync(block);
        return lab;
    }

    public Task PutBlockAsync(AllocationBlock block) =>
        Store.CreateAsync(IpamKeys.Block(block.Cidr), Encoding.UTF8.GetBytes(IpamJson.Serialize(block)));

    /// <summary>Stores bytes that are no readable value under a key.</summary>
    public Task PutGarbageAsync(string key) => Store.CreateAsync(key, Encoding.UTF8.GetBytes("{not json"));

    public static string NodeKey(string name) => ResourceKeys.Key(Node.KindName, name);
    public static string BlockKey(string cidr) => IpamKeys.Block(IPPrefix.Parse(cidr));

    public void Dispose()
    {
        Client.Dispose();
        _dir.Dispose();
    }
}
