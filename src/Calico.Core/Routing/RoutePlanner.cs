using Calico.Ipam;
using Calico.Net;
using Calico.Resources;

namespace Calico.Routing;

/// <summary>
/// Plans what a node's kernel should have for Calico networking — routes, VXLAN neighbours and FDB entries, tunnel
/// devices, outgoing-NAT sets — from the cluster's nodes, IP pools and IPAM blocks, deciding each as felix does.
/// It keeps the cluster indexed, so after a change it re-plans only the destinations the change can affect and
/// reports the difference. Pure: no kernel, no datastore. Not thread-safe.
/// </summary>
public sealed class RoutePlanner
{
    private readonly ClusterIndex _cluster = new();
    private Encapsulation _encapsulation;
    private LocalNode _local;
    private bool _planned;

    // The maintained plan for LocalNode.
    private readonly Dictionary<NetKey, PlannedRoute> _routes = new();
    private readonly Dictionary<NetKey, PlanFinding> _destinationFindings = new();
    private readonly Dictionary<NetKey, string> _destinationNode = new();
    private readonly Dictionary<string, HashSet<NetKey>> _destinationsByNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PlanFinding>> _nodeFindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VxlanNeighbour>[] _neighbours = [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private readonly Dictionary<string, VxlanForwardingEntry>[] _forwarding = [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private IReadOnlyList<TunnelDevicePlan> _devices = [];
    private IReadOnlyList<NatSets> _nat = [];
    private List<PlanFinding> _localFindings = [];
    private RoutePlan? _current;

    public RoutePlanner(string localNode, RouteSettings? settings = null)
        : this(localNode, [], [], [], settings)
    {
    }

    public RoutePlanner(string localNode, IEnumerable<Node> nodes, IEnumerable<IPPool> pools, IEnumerable<AllocationBlock> blocks, RouteSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(localNode);
        LocalNode = localNode;
        Settings = settings ?? RouteSettings.Default;
        foreach (var node in nodes) _cluster.SetNode(NodeFacts.From(node, _cluster.Names), node.Name, touched: null);
        foreach (var pool in pools) StorePool(pool);
        foreach (var block in blocks)
        {
            var facts = BlockFacts.From(block, _cluster.Names);
            _cluster.SetBlock(facts, facts.Key, touched: null);
        }
        _encapsulation = Encapsulation.From(_cluster.Pools.Effective, Settings);
        _local = MakeLocal(LocalNode);
    }

    /// <summary>Plans <paramref name="localNode"/>'s kernel state from scratch.</summary>
    public static RoutePlan Plan(string localNode, IEnumerable<Node> nodes, IEnumerable<IPPool> pools, IEnumerable<AllocationBlock> blocks, RouteSettings? settings = null) =>
        new RoutePlanner(localNode, nodes, pools, blocks, settings).Plan();

    /// <summary>The node whose plan this planner maintains.</summary>
    public string LocalNode { get; }
    public RouteSettings Settings { get; }
    public int NodeCount => _cluster.Nodes.Count;
    public int PoolCount => _cluster.Pools.Count;
    public int BlockCount => _cluster.Blocks.Count;

    /// <summary>The maintained plan for <see cref="LocalNode"/>, as of the last update.</summary>
    public RoutePlan Current
    {
        get
        {
            EnsurePlanned();
            if (_current is not null) return _current;
            var neighbours = new List<VxlanNeighbour>();
            var forwarding = new List<VxlanForwardingEntry>();
            var remoteFindings = new List<PlanFinding>();
            for (var i = 0; i < Families.Length; i++)
            {
                foreach (var name in _cluster.SortedNodeNames)
                {
                    if (_neighbours[i].TryGetValue(name, out var neighbour)) neighbours.Add(neighbour);
                    if (_forwarding[i].TryGetValue(name, out var entry)) forwarding.Add(entry);
                }
            }
            foreach (var name in _cluster.SortedNodeNames)
            {
                if (_nodeFindings.TryGetValue(name, out var found)) remoteFindings.AddRange(found);
            }
            return _current = Assemble(_local, RouteSorter.Sort(_routes), _destinationFindings.ToList(),
                neighbours, forwarding, _devices, _nat, _localFindings, remoteFindings);
        }
    }

    /// <summary>Plans any node from scratch on the current cluster state; <see cref="LocalNode"/>'s maintained plan is untouched.</summary>
    public RoutePlan Plan(string? localNode = null)
    {
        var local = localNode is null || localNode == LocalNode ? _local : MakeLocal(localNode);
        var destinationFindings = new List<KeyValuePair<NetKey, PlanFinding>>();
        var templates = new RouteTemplates(local, _cluster, _cluster.Nodes.Count);
        PlannedRoute[] routes;
        using (var sorter = new RouteSorter(_cluster.Destinations.Count))
        {
            foreach (var destination in _cluster.Destinations.Values)
            {
                if (PlanDestination(destination, templates, out var finding, out _) is { } route) sorter.Add(destination.Key, route);
                if (finding is not null) destinationFindings.Add(new(destination.Key, finding));
            }
            routes = sorter.ToSortedArray();
        }
        // Nodes in name order, so neighbours, FDB entries and findings come out sorted (IPv4 entries first).
        var neighbours = new List<VxlanNeighbour>();
        var forwarding = new List<VxlanForwardingEntry>();
        foreach (var family in Families)
        {
            foreach (var name in _cluster.SortedNodeNames)
            {
                if (VxlanEntries.For(_cluster.Nodes[name], local, family) is not { } entry) continue;
                neighbours.Add(entry.Neighbour);
                forwarding.Add(entry.Forwarding);
            }
        }
        var remoteFindings = new List<PlanFinding>();
        foreach (var name in _cluster.SortedNodeNames)
        {
            if (name != local.Name && PlanFindings.ForRemote(_cluster.Nodes[name], local) is { } found) remoteFindings.AddRange(found);
        }
        var devices = TunnelDevices.Plan(local, _cluster.Pools);
        return Assemble(local, routes, destinationFindings, neighbours, forwarding, devices,
            NatPlanner.Plan(_cluster.Pools, Settings), PlanFindings.ForLocal(local, _cluster, devices), remoteFindings);
    }

    /// <summary>Adds or replaces a node.</summary>
    public RoutePlanDelta SetNode(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ChangeNode(node.Name, NodeFacts.From(node, _cluster.Names));
    }

    public RoutePlanDelta RemoveNode(string name) => ChangeNode(name, null);

    /// <summary>Adds or replaces an IP pool, matched by name.</summary>
    public RoutePlanDelta SetPool(IPPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        EnsurePlanned();
        var old = _cluster.Pools.TryGet(pool.Name, out var existing) ? existing : null;
        var current = StorePool(pool);
        return AfterPoolChange(old, current);
    }

    public RoutePlanDelta RemovePool(string name)
    {
        EnsurePlanned();
        _cluster.PoolProblems.Remove(name);
        return AfterPoolChange(_cluster.Pools.Remove(name), null);
    }

    /// <summary>Adds or replaces an IPAM block, matched by CIDR.</summary>
    public RoutePlanDelta SetBlock(AllocationBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var facts = BlockFacts.From(block, _cluster.Names);
        return ChangeBlock(facts.Key, facts);
    }

    public RoutePlanDelta RemoveBlock(IPPrefix cidr) => ChangeBlock(NetKey.FromPrefix(cidr), null);

    private RoutePlanDelta ChangeNode(string name, NodeFacts? facts)
    {
        EnsurePlanned();
        var touched = new HashSet<NetKey>();
        _cluster.SetNode(facts, name, touched);
        // This node's own address and subnet decide every same-subnet test, so it is re-planned whole.
        if (name == LocalNode) return PlanAll();
        if (_destinationsByNode.TryGetValue(name, out var ofNode)) touched.UnionWith(ofNode);
        var delta = new DeltaBuilder();
        var templates = new RouteTemplates(_local, _cluster);
        foreach (var key in touched) Replan(key, templates, delta);
        ReplanNodeEntries(name, facts, delta);
        _current = null;
        return delta.Build(devicesChanged: false, natChanged: false);
    }

    private RoutePlanDelta ChangeBlock(NetKey key, BlockFacts? facts)
    {
        EnsurePlanned();
        var touched = new HashSet<NetKey>();
        _cluster.SetBlock(facts, key, touched);
        var delta = new DeltaBuilder();
        var templates = new RouteTemplates(_local, _cluster);
        foreach (var destination in touched) Replan(destination, templates, delta);
        _current = null;
        return delta.Build(devicesChanged: false, natChanged: false);
    }

    private RoutePlanDelta AfterPoolChange(PoolFacts? old, PoolFacts? current)
    {
        var encapsulation = Encapsulation.From(_cluster.Pools.Effective, Settings);
        // Which route managers run, and what every node finding says, follow from the encapsulation: re-plan all.
        if (encapsulation != _encapsulation)
        {
            _encapsulation = encapsulation;
            return PlanAll();
        }
        var delta = new DeltaBuilder();
        var templates = new RouteTemplates(_local, _cluster);
        if (old is not null || current is not null)
        {
            foreach (var key in _cluster.Destinations.Keys.ToList())
            {
                if ((old is not null && old.Key.Contains(key)) || (current is not null && current.Key.Contains(key))) Replan(key, templates, delta);
            }
        }
        var (devicesChanged, natChanged) = ReplanLocalState();
        _current = null;
        return delta.Build(devicesChanged, natChanged);
    }

    private PoolFacts? StorePool(IPPool pool)
    {
        var facts = PoolFacts.From(pool, out var problem);
        if (facts is null)
        {
            _cluster.Pools.Remove(pool.Name);
            _cluster.PoolProblems[pool.Name] = problem!;
        }
        else
        {
            _cluster.Pools.Set(facts);
            _cluster.PoolProblems.Remove(pool.Name);
        }
        return facts;
    }

    private void EnsurePlanned()
    {
        if (_planned) return;
        PlanAll();
        _planned = true;
    }

    /// <summary>Re-plans everything for the local node and reports what differs from the maintained plan.</summary>
    private RoutePlanDelta PlanAll()
    {
        _local = MakeLocal(LocalNode);
        var delta = new DeltaBuilder();
        var routes = new Dictionary<NetKey, PlannedRoute>(_cluster.Destinations.Count);
        var findings = new Dictionary<NetKey, PlanFinding>();
        _destinationNode.Clear();
        _destinationsByNode.Clear();
        var templates = new RouteTemplates(_local, _cluster, _cluster.Nodes.Count);
        foreach (var destination in _cluster.Destinations.Values)
        {
            if (PlanDestination(destination, templates, out var finding, out var node) is { } route) routes[destination.Key] = route;
            if (finding is not null) findings[destination.Key] = finding;
            IndexNode(destination.Key, node);
        }
        DeltaBuilder.ReplaceAll(_routes, routes, delta.Added, delta.Removed);
        _destinationFindings.Clear();
        foreach (var (key, finding) in findings) _destinationFindings[key] = finding;

        for (var i = 0; i < Families.Length; i++)
        {
            var neighbours = new Dictionary<string, VxlanNeighbour>(StringComparer.Ordinal);
            var forwarding = new Dictionary<string, VxlanForwardingEntry>(StringComparer.Ordinal);
            foreach (var node in _cluster.Nodes.Values)
            {
                if (VxlanEntries.For(node, _local, Families[i]) is not { } entry) continue;
                neighbours[node.Name] = entry.Neighbour;
                forwarding[node.Name] = entry.Forwarding;
            }
            DeltaBuilder.ReplaceAll(_neighbours[i], neighbours, delta.NeighboursAdded, delta.NeighboursRemoved);
            DeltaBuilder.ReplaceAll(_forwarding[i], forwarding, delta.ForwardingAdded, delta.ForwardingRemoved);
        }
        _nodeFindings.Clear();
        foreach (var node in _cluster.Nodes.Values)
        {
            if (node.Name != LocalNode && PlanFindings.ForRemote(node, _local) is { } found) _nodeFindings[node.Name] = found;
        }
        var (devicesChanged, natChanged) = ReplanLocalState();
        _current = null;
        return delta.Build(devicesChanged, natChanged);
    }

    /// <summary>Devices, NAT sets and findings about this node and the pools.</summary>
    private (bool DevicesChanged, bool NatChanged) ReplanLocalState()
    {
        _local = MakeLocal(LocalNode);
        var devices = TunnelDevices.Plan(_local, _cluster.Pools);
        var nat = NatPlanner.Plan(_cluster.Pools, Settings);
        var devicesChanged = !devices.SequenceEqual(_devices);
        var natChanged = !nat.SequenceEqual(_nat);
        _devices = devices;
        _nat = nat;
        _localFindings = PlanFindings.ForLocal(_local, _cluster, devices);
        return (devicesChanged, natChanged);
    }

    private void Replan(NetKey key, RouteTemplates templates, DeltaBuilder delta)
    {
        PlannedRoute? route = null;
        PlanFinding? finding = null;
        string? node = null;
        if (_cluster.Destinations.TryGetValue(key, out var destination)) route = PlanDestination(destination, templates, out finding, out node);
        DeltaBuilder.Replace(_routes, key, route, delta.Added, delta.Removed);
        if (finding is null) _destinationFindings.Remove(key); else _destinationFindings[key] = finding;
        IndexNode(key, node);
    }

    private void ReplanNodeEntries(string name, NodeFacts? facts, DeltaBuilder delta)
    {
        for (var i = 0; i < Families.Length; i++)
        {
            var entry = facts is null ? null : VxlanEntries.For(facts, _local, Families[i]);
            DeltaBuilder.Replace(_neighbours[i], name, entry?.Neighbour, delta.NeighboursAdded, delta.NeighboursRemoved);
            DeltaBuilder.Replace(_forwarding[i], name, entry?.Forwarding, delta.ForwardingAdded, delta.ForwardingRemoved);
        }
        if (facts is not null && PlanFindings.ForRemote(facts, _local) is { } found) _nodeFindings[name] = found;
        else _nodeFindings.Remove(name);
    }

    /// <summary>Remembers which node a destination was planned for, so a change to that node re-plans it.</summary>
    private void IndexNode(NetKey key, string? node)
    {
        _destinationNode.TryGetValue(key, out var old);
        if (old == node) return;
        if (old is not null && _destinationsByNode.TryGetValue(old, out var oldSet))
        {
            oldSet.Remove(key);
            if (oldSet.Count == 0) _destinationsByNode.Remove(old);
        }
        if (node is null)
        {
            _destinationNode.Remove(key);
            return;
        }
        _destinationNode[key] = node;
        if (!_destinationsByNode.TryGetValue(node, out var set)) _destinationsByNode[node] = set = new HashSet<NetKey>();
        set.Add(key);
    }

    private PlannedRoute? PlanDestination(Destination destination, RouteTemplates templates, out PlanFinding? finding, out string? node)
    {
        var resolution = RouteResolution.Resolve(destination, _cluster, templates.Local.Name);
        node = resolution.Node;
        return templates.Decide(resolution, out finding);
    }

    private LocalNode MakeLocal(string name) =>
        new(_cluster.Names.Intern(name), _cluster.Nodes.GetValueOrDefault(name), Settings, _encapsulation);

    private static readonly int[] Families = [4, 6];

    /// <summary>The plan from its parts; neighbours, FDB entries and node findings come already in node order.</summary>
    private static RoutePlan Assemble(
        LocalNode local,
        PlannedRoute[] routes,
        List<KeyValuePair<NetKey, PlanFinding>> destinationFindings,
        List<VxlanNeighbour> neighbours,
        List<VxlanForwardingEntry> forwarding,
        IReadOnlyList<TunnelDevicePlan> devices,
        IReadOnlyList<NatSets> nat,
        List<PlanFinding> localFindings,
        List<PlanFinding> remoteFindings)
    {
        destinationFindings.Sort((a, b) => a.Key.CompareTo(b.Key));
        var findings = new List<PlanFinding>(localFindings.Count + remoteFindings.Count + destinationFindings.Count);
        findings.AddRange(localFindings);
        findings.AddRange(remoteFindings);
        findings.AddRange(destinationFindings.Select(f => f.Value));
        return new RoutePlan(local.Name, local.Settings, routes, neighbours, forwarding, devices, nat, findings);
    }
}
