using Calico.Ipam;
using Calico.Net;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>The incremental planner always equals a plan made from scratch, and its deltas say how it got there.</summary>
public class IncrementalPlannerTests
{
    [Fact]
    public void Updates_report_only_what_changed()
    {
        var planner = new RoutePlanner("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)], SeedLab.Blocks(), SeedLab.Settings);
        Assert.Equal(3, planner.Current.Routes.Count);
        // node3 moves onto lanA: its block becomes same-subnet.
        var moved = SeedLab.Node("node3", "10.0.2.20/24", tunnel: "192.168.3.0");
        var delta = planner.SetNode(moved);
        Assert.Equal(["192.168.3.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480"], delta.Removed.Select(r => r.ToString()));
        Assert.Equal(["192.168.3.0/26 via 10.0.2.20 dev eth0 onlink proto 80"], delta.Added.Select(r => r.ToString()));
        Assert.False(delta.DevicesChanged);
        Assert.True(planner.SetNode(moved).IsEmpty);
    }

    [Fact]
    public void Removing_a_block_removes_its_route_and_adding_a_pool_mode_can_change_every_route()
    {
        var planner = new RoutePlanner("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], SeedLab.Blocks(), SeedLab.Settings);
        var removed = planner.RemoveBlock(IPPrefix.Parse("192.168.2.0/26"));
        Assert.Equal(["192.168.2.0/26"], removed.Removed.Select(r => r.Destination.ToString()));
        Assert.Empty(removed.Added);
        var vxlan = planner.SetPool(SeedLab.VXLANPool(VXLANMode.Always));
        Assert.True(vxlan.DevicesChanged);
        Assert.Equal(2, vxlan.Added.Count);
    }

    [Fact]
    public void Plan_for_another_node_leaves_the_maintained_plan_alone()
    {
        var planner = new RoutePlanner("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)], SeedLab.Blocks(), SeedLab.Settings);
        var before = SeedLab.Lines(planner.Current);
        var node3 = planner.Plan("node3");
        Assert.Equal("node3", node3.LocalNode);
        Assert.Equal(SeedLab.Lines(SeedLab.Plan("node3", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)])), SeedLab.Lines(node3));
        Assert.Equal(before, SeedLab.Lines(planner.Current));
    }

    [Fact]
    public void A_scenario_cluster_plans_a_route_per_remote_block_and_borrowed_address()
    {
        var scenario = ClusterScenario.Build(new ScenarioShape { Nodes = 60, BlocksPerNode = 2, NodesPerSubnet = 20 });
        var plan = RoutePlanner.Plan(ClusterScenario.NodeName(0), scenario.Nodes, scenario.Pools, scenario.Blocks, SeedLab.Settings);
        // 120 blocks (2 local blackholes, 118 remote) and 12 borrowed /32s (every tenth block lends one).
        Assert.Equal(2, plan.Routes.Count(r => r.Type == PlannedRouteType.Blackhole));
        Assert.Equal(118 + 12, plan.Routes.Count(r => r.Type != PlannedRouteType.Blackhole));
        Assert.Equal(19 * 2, plan.Routes.Count(r => r.Type == PlannedRouteType.Direct && r.Destination.PrefixLength == 26));
        Assert.All(plan.Routes, r => Assert.True(r.IsProgrammed, r.ToString()));
    }

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    /// <summary>
    /// Random sequences of node, pool and block changes: after every step the maintained plan equals a from-scratch
    /// plan of the same state, and the previous plan with the delta applied gives the new routes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Incremental_plan_equals_a_plan_from_scratch_after_every_random_change(int seed)
    {
        var random = new Random(seed);
        for (var sequence = 0; sequence < 25; sequence++)
        {
            var world = new RandomWorld(random);
            var local = world.NodeNames[random.Next(world.NodeNames.Length)];
            var settings = RandomWorld.SettingsVariants[random.Next(RandomWorld.SettingsVariants.Length)];
            var planner = new RoutePlanner(local, world.Nodes.Values, world.Pools.Values, world.Blocks.Values, settings);
            var previous = planner.Current;
            for (var step = 0; step < 40; step++)
            {
                var (change, delta) = world.ApplyRandomChange(planner);
                var context = $"seed {seed}, sequence {sequence}, step {step}: {change}";
                var current = planner.Current;
                var scratch = RoutePlanner.Plan(local, world.Nodes.Values, world.Pools.Values, world.Blocks.Values, settings);
                AssertSamePlan(scratch, current, context);
                var replayed = previous.Routes.Except(delta.Removed).Concat(delta.Added).OrderBy(r => r.Destination).ToList();
                Assert.True(replayed.SequenceEqual(current.Routes), $"{context}: previous plan + delta ≠ new plan");
                var other = world.NodeNames[random.Next(world.NodeNames.Length)];
                AssertSamePlan(RoutePlanner.Plan(other, world.Nodes.Values, world.Pools.Values, world.Blocks.Values, settings),
                    planner.Plan(other), context + $", planned for {other}");
                previous = current;
            }
        }
    }

    private static void AssertSamePlan(RoutePlan expected, RoutePlan actual, string context)
    {
        Assert.True(expected.Routes.SequenceEqual(actual.Routes),
            $"{context}\nexpected routes:\n{string.Join("\n", expected.Routes.Select(Describe))}\nactual routes:\n{string.Join("\n", actual.Routes.Select(Describe))}");
        Assert.True(expected.Neighbours.SequenceEqual(actual.Neighbours), $"{context}: neighbours differ");
        Assert.True(expected.ForwardingEntries.SequenceEqual(actual.ForwardingEntries), $"{context}: FDB entries differ");
        Assert.True(expected.Devices.SequenceEqual(actual.Devices), $"{context}: devices differ");
        Assert.True(expected.Nat.SequenceEqual(actual.Nat), $"{context}: NAT sets differ");
        Assert.True(expected.Findings.SequenceEqual(actual.Findings),
            $"{context}\nexpected findings:\n{string.Join("\n", expected.Findings)}\nactual findings:\n{string.Join("\n", actual.Findings)}");
    }

    private static string Describe(PlannedRoute r) => $"{r} [{r.RemoteNode}, {r.Pool}] {r.Reason}";

    /// <summary>A small cluster that changes at random, kept as the resources a datastore would hold.</summary>
    private sealed class RandomWorld
    {
        private readonly Random _random;

        public static readonly RouteSettings[] SettingsVariants =
        [
            SeedLab.Settings,
            RouteSettings.Default,
            SeedLab.Settings with { ProgramClusterRoutes = ProgramClusterRoutes.EnabledIPIPOnly, DeviceRouteProtocol = 99 },
            SeedLab.Settings with { IPv6Support = false, IPIPEnabled = true },
            SeedLab.Settings with { VXLANEnabled = false },
        ];

        public readonly string[] NodeNames = ["a", "b", "c", "d", "e", "f"];
        private static readonly string[] PoolNames = ["p1", "p2", "p3"];
        private static readonly string[] PoolCidrs = ["192.168.0.0/16", "192.168.0.0/23", "192.168.0.64/26", "192.168.1.0/24", "10.0.2.0/24", "fd00:a::/48"];
        private static readonly string[] BlockCidrs =
        [
            "192.168.0.0/28", "192.168.0.16/28", "192.168.0.32/28", "192.168.0.64/28", "192.168.0.80/28", "192.168.0.128/28",
            "192.168.1.1/32", "192.168.1.2/32", "fd00:a::/124", "fd00:a::10/124", "10.0.2.0/28",
            // Overlapping blocks, which IPAM never makes: the plan must still not depend on the order of updates.
            "192.168.0.0/27", "192.168.0.5/32",
        ];
        private static readonly string?[] V4Addresses =
            ["10.0.2.15/24", "10.0.2.10/24", "10.0.2.10/32", "10.0.2.10", "10.0.3.20/24", "10.0.3.20/32", "10.0.2.3/24", null];
        private static readonly string?[] V6Addresses = ["fd00:2::15/64", "fd00:2::10/128", "fd00:3::20/64", null];

        public Dictionary<string, Node> Nodes { get; } = new();
        public Dictionary<string, IPPool> Pools { get; } = new();
        public Dictionary<string, AllocationBlock> Blocks { get; } = new();

        public RandomWorld(Random random)
        {
            _random = random;
            foreach (var name in NodeNames.Where(_ => random.Next(4) > 0)) Nodes[name] = RandomNode(name);
            Pools["p1"] = RandomPool("p1");
            for (var i = 0; i < 6; i++)
            {
                var block = RandomBlock();
                Blocks[block.Cidr.ToString()] = block;
            }
        }

        public (string Change, RoutePlanDelta Delta) ApplyRandomChange(RoutePlanner planner)
        {
            switch (_random.Next(7))
            {
                case 0 or 1:
                {
                    var node = RandomNode(Pick(NodeNames));
                    Nodes[node.Name] = node;
                    return ($"set node {node.Name} {node.Spec.BGP?.IPv4Address}", planner.SetNode(node));
                }
                case 2:
                {
                    var name = Pick(NodeNames);
                    Nodes.Remove(name);
                    return ($"remove node {name}", planner.RemoveNode(name));
                }
                case 3:
                {
                    var pool = RandomPool(Pick(PoolNames));
                    Pools[pool.Name] = pool;
                    return ($"set pool {pool.Name} {pool.Cidr} {pool.IPIPMode}/{pool.VXLANMode}", planner.SetPool(pool));
                }
                case 4:
                {
                    var name = Pick(PoolNames);
                    Pools.Remove(name);
                    return ($"remove pool {name}", planner.RemovePool(name));
                }
                case 5:
                {
                    var block = RandomBlock();
                    Blocks[block.Cidr.ToString()] = block;
                    return ($"set block {block.Cidr} {block.Affinity}", planner.SetBlock(block));
                }
                default:
                {
                    var cidr = IPPrefix.Parse(Pick(BlockCidrs));
                    Blocks.Remove(cidr.ToString());
                    return ($"remove block {cidr}", planner.RemoveBlock(cidr));
                }
            }
        }

        private Node RandomNode(string name)
        {
            var v4 = Pick(V4Addresses);
            var v6 = _random.Next(3) == 0 ? Pick(V6Addresses) : null;
            var tunnel = _random.Next(3) > 0 ? RandomAddressIn(Pick(BlockCidrs.Where(c => !c.Contains(':')).ToArray())) : null;
            var tunnelV6 = _random.Next(3) == 0 ? RandomAddressIn(Pick(BlockCidrs.Where(c => c.Contains(':')).ToArray())) : null;
            var node = SeedLab.Node(name, v4, tunnel, v6, tunnelV6);
            if (_random.Next(6) == 0)
            {
                node.Spec.BGP = null;
                node.Spec.Addresses = [new Calico.Resources.NodeAddress { Address = "10.0.2.77/24", Type = "InternalIP" }];
            }
            if (_random.Next(8) == 0) node.Spec.VXLANTunnelMACAddr = _random.Next(2) == 0 ? "aa:bb:cc:dd:ee:0" + _random.Next(10) : "not-a-mac";
            return node;
        }

        private IPPool RandomPool(string name)
        {
            var ipip = Pick(Enum.GetValues<IPIPMode>());
            var vxlan = _random.Next(3) == 0 ? Pick(Enum.GetValues<VXLANMode>()) : VXLANMode.Never;
            IPPoolAllowedUse[]? uses = _random.Next(6) == 0 ? [IPPoolAllowedUse.LoadBalancer] : null;
            return SeedLab.Pool(name, Pick(PoolCidrs), ipip, vxlan, nat: _random.Next(2) == 0, disabled: _random.Next(4) == 0, uses: uses);
        }

        private AllocationBlock RandomBlock()
        {
            var cidr = Pick(BlockCidrs);
            var host = _random.Next(5) == 0 ? null : Pick(NodeNames);
            var prefix = IPPrefix.Parse(cidr);
            var allocations = new List<(string, string, string?)>();
            var size = 1 << (prefix.MaxPrefixLength - prefix.PrefixLength);
            foreach (var ordinal in Enumerable.Range(0, size).Where(_ => _random.Next(4) == 0))
            {
                var owner = _random.Next(3) == 0 ? Pick(NodeNames) : host ?? Pick(NodeNames);
                allocations.Add((new NetAddress(prefix).At(ordinal), owner, null));
            }
            return SeedLab.Block(cidr, host, allocations.ToArray());
        }

        private string RandomAddressIn(string cidr)
        {
            var prefix = IPPrefix.Parse(cidr);
            return new NetAddress(prefix).At(_random.Next(1 << (prefix.MaxPrefixLength - prefix.PrefixLength)));
        }

        private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
    }

    /// <summary>Addresses inside a prefix, by ordinal.</summary>
    private readonly struct NetAddress(IPPrefix prefix)
    {
        public string At(int ordinal) => AllocationBlock.Create(prefix, null, DateTimeOffset.UnixEpoch).OrdinalToAddress(ordinal).ToString();
    }
}
