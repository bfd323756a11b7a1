using System.Text;
using BenchmarkDotNet.Attributes;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;
using Calico.Serialization;
using Calico.Tests.Routing;

namespace Calico.Benchmarks;

/// <summary>
/// Decoding one stored value, as every list does for every key: a Node (Get-CalicoNode, a sync's node list) and an
/// IPAM block with 8 workloads and a tunnel address (a sync's and the analyses' block list), and encoding a Node (every
/// write). Per-item costs of the list and sync paths of the scale harness.
/// </summary>
public class StoredValueBenchmarks
{
    private string _node = "";
    private byte[] _block = [];
    private Node _nodeObject = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cluster = ClusterScenario.Build(new ScenarioShape { Nodes = 2 });
        _nodeObject = cluster.Nodes[1];
        _node = Encoding.UTF8.GetString(ResourceStore.Encode(_nodeObject));
        _block = Encoding.UTF8.GetBytes(IpamJson.Serialize(cluster.Blocks[0]));
    }

    [Benchmark]
    public Node DecodeNode() => ResourceJson.Deserialize<Node>(_node, "/calico/resources/v3/projectcalico.org/nodes/node-00001");

    [Benchmark]
    public byte[] EncodeNode() => ResourceStore.Encode(_nodeObject);

    [Benchmark]
    public AllocationBlock DecodeBlock()
    {
        var block = IpamJson.DeserializeBlock(_block);
        return block.FindInconsistency() is null ? block : throw new InvalidOperationException("inconsistent block");
    }
}
