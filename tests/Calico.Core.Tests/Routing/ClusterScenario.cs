using System.Buffers.Binary;
using System.Net;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;

namespace Calico.Tests.Routing;

/// <summary>The shape of a synthetic cluster.</summary>
public sealed record ScenarioShape
{
    public int Nodes { get; init; } = 10_000;
    public int BlocksPerNode { get; init; } = 4;
    /// <summary>Nodes per /24 host subnet (at most 254); 10,000 nodes at 250 a subnet make 40 subnets.</summary>
    public int NodesPerSubnet { get; init; } = 250;
    /// <summary>Addresses each block hands to its own node's workloads.</summary>
    public int WorkloadsPerBlock { get; init; } = 8;
    /// <summary>Every n-th block also lends one address to the next node (0: none).</summary>
    public int BorrowedEvery { get; init; } = 10;
    public IPIPMode IPIPMode { get; init; } = IPIPMode.CrossSubnet;
    public VXLANMode VXLANMode { get; init; } = VXLANMode.Never;
}

/// <summary>
/// A synthetic cluster of Calico data — Nodes, one IP pool, IPAM blocks with workloads, tunnel addresses and
/// borrowed addresses — built the way Calico writes them. Depends on Calico.Core only, not on xunit, so a benchmark
/// project can compile this file in (&lt;Compile Include="…/tests/Calico.Core.Tests/Routing/ClusterScenario.cs" /&gt;).
/// </summary>
public sealed class ClusterScenario
{
    /// <summary>Blocks come from 10.64.0.0/10 (4M addresses: 65,536 /26 blocks); node addresses from 172.16.0.0/12.</summary>
    public const string PoolCidr = "10.64.0.0/10";
    private const uint PoolBase = 10u << 24 | 64u << 16;
    private const uint HostBase = 172u << 24 | 16u << 16;
    private const int BlockSize = 64;

    private ClusterScenario(ScenarioShape shape, Node[] nodes, IPPool[] pools, AllocationBlock[] blocks)
    {
        Shape = shape;
        Nodes = nodes;
        Pools = pools;
        Blocks = blocks;
    }

    public ScenarioShape Shape { get; }
    public IReadOnlyList<Node> Nodes { get; }
    public IReadOnlyList<IPPool> Pools { get; }
    public IReadOnlyList<AllocationBlock> Blocks { get; }

    public static string NodeName(int index) => $"node-{index:D5}";

    public static ClusterScenario Build(ScenarioShape? shape = null)
    {
        shape ??= new ScenarioShape();
        if (shape.NodesPerSubnet is < 1 or > 254) throw new ArgumentOutOfRangeException(nameof(shape), "NodesPerSubnet must be 1-254");
        if ((long)shape.Nodes * shape.BlocksPerNode > 65_536) throw new ArgumentOutOfRangeException(nameof(shape), "the pool holds 65,536 blocks");
        var tunnelType = shape.VXLANMode != VXLANMode.Never ? AllocationAttribute.TypeVXLAN : AllocationAttribute.TypeIPIP;
        var nodes = new Node[shape.Nodes];
        var blocks = new AllocationBlock[shape.Nodes * shape.BlocksPerNode];
        for (var n = 0; n < shape.Nodes; n++)
        {
            nodes[n] = MakeNode(shape, n);
            for (var j = 0; j < shape.BlocksPerNode; j++)
            {
                var index = n * shape.BlocksPerNode + j;
                blocks[index] = MakeBlock(shape, index, n, j == 0 ? tunnelType : null);
            }
        }
        var pool = new IPPool
        {
            Name = "default-ipv4-ippool",
            Spec = new IPPoolSpec
            {
                Cidr = PoolCidr,
                IPIPMode = shape.IPIPMode,
                VXLANMode = shape.VXLANMode,
                NatOutgoing = true,
                BlockSize = 26,
                NodeSelector = "all()",
                AllowedUses = [IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel],
            },
        };
        return new ClusterScenario(shape, nodes, [pool], blocks);
    }

    /// <summary>Node <paramref name="index"/> as stored, with its address moved by <paramref name="hostOffset"/> (to simulate a change).</summary>
    public static Node MakeNode(ScenarioShape shape, int index, int hostOffset = 0)
    {
        var subnet = (uint)(index / shape.NodesPerSubnet);
        var host = (uint)(index % shape.NodesPerSubnet + 1 + hostOffset) % 254 + 1;
        var address = Address(HostBase + subnet * 256 + host);
        var tunnel = Address(PoolBase + (uint)(index * shape.BlocksPerNode * BlockSize)).ToString();
        var node = new Node { Name = NodeName(index) };
        node.Metadata.Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node.Name };
        node.Spec.BGP = new NodeBGPSpec
        {
            IPv4Address = $"{address}/24",
            IPv4IPIPTunnelAddr = shape.IPIPMode != IPIPMode.Never ? tunnel : null,
        };
        if (shape.VXLANMode != VXLANMode.Never) node.Spec.IPv4VXLANTunnelAddr = tunnel;
        node.Spec.OrchRefs = [new OrchRef { NodeName = node.Name, Orchestrator = "k8s" }];
        return node;
    }

    private static AllocationBlock MakeBlock(ScenarioShape shape, int index, int nodeIndex, string? tunnelType)
    {
        var cidr = new IPPrefix(Address(PoolBase + (uint)(index * BlockSize)), 26);
        var host = NodeName(nodeIndex);
        var block = AllocationBlock.Create(cidr, host, DateTimeOffset.UnixEpoch);
        block.Attributes = [];
        var ordinal = 0;
        if (tunnelType is not null) Allocate(block, ordinal++, $"{tunnelType}-{host}", host, tunnelType);
        for (var w = 0; w < shape.WorkloadsPerBlock && ordinal < BlockSize; w++) Allocate(block, ordinal++, $"k8s-pod-{index}-{w}", host, null);
        if (shape.BorrowedEvery > 0 && index % shape.BorrowedEvery == 0 && ordinal < BlockSize)
        {
            var borrower = NodeName((nodeIndex + 1) % shape.Nodes);
            Allocate(block, ordinal, $"k8s-pod-borrowed-{index}", borrower, null);
        }
        return block;
    }

    private static void Allocate(AllocationBlock block, int ordinal, string handle, string node, string? type)
    {
        var attributes = new Dictionary<string, string> { [AllocationAttribute.NodeKey] = node };
        if (type is not null) attributes[AllocationAttribute.TypeKey] = type;
        block.Attributes!.Add(new AllocationAttribute { HandleId = handle, Secondary = attributes });
        block.Allocations![ordinal] = block.Attributes.Count - 1;
        block.Unallocated!.Remove(ordinal);
        block.SequenceNumberForAllocation![ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)] = block.SequenceNumber;
    }

    private static IPAddress Address(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
