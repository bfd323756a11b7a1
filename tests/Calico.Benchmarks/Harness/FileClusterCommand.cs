using System.Diagnostics;
using System.Text;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Tests.Routing;

namespace Calico.Benchmarks.Harness;

/// <summary>
/// Writes the synthetic VXLAN cluster of a kernel fixture (node-00000 gets <c>routes</c> routes) into a file datastore,
/// as Calico stores it: the IP pool and the nodes through <see cref="ResourceStore"/>, the IPAM blocks as IPAM's JSON.
/// Affinity and handle keys are left out: a sync reads nodes, pools and blocks only.
/// </summary>
internal static class FileClusterCommand
{
    public static async Task<object> WriteAsync(string path, int routes)
    {
        var cluster = ClusterScenario.Build(KernelFixture.ShapeFor(routes));
        var clock = Stopwatch.StartNew();
        using var store = new FileKeyValueStore(path);
        var resources = new ResourceStore(store);
        foreach (var pool in cluster.Pools) await resources.CreateAsync(pool);
        foreach (var node in cluster.Nodes) await resources.CreateAsync(node);
        foreach (var block in cluster.Blocks) await store.CreateAsync(IpamKeys.Block(block.Cidr), Encoding.UTF8.GetBytes(IpamJson.Serialize(block)));
        return new { path, nodes = cluster.Nodes.Count, blocks = cluster.Blocks.Count, routes, writeMs = clock.Elapsed.TotalMilliseconds };
    }
}
