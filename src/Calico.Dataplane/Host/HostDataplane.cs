using System.Net;
using Calico.Client;
using Calico.Dataplane.HostChecks;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Workloads;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Dataplane.Host;

/// <summary>
/// One host's side of Calico, as felix keeps it: read the cluster from the datastore, plan this node's routes, devices
/// and NAT, and compare that with (or apply it to) this host's kernel.
/// </summary>
public sealed class HostDataplane
{
    private readonly CalicoClient _client;
    private readonly IKernel _kernel;
    private readonly DataplaneReconciler _reconciler;

    public HostDataplane(CalicoClient client, IKernel kernel, string nodeName, RouteSettings? settings = null)
    {
        _client = client;
        _kernel = kernel;
        _reconciler = new DataplaneReconciler(kernel);
        NodeName = nodeName;
        Settings = settings ?? new RouteSettings();
    }

    public string NodeName { get; }
    public RouteSettings Settings { get; }

    /// <summary>This node's plan against the cluster as stored now, with the host facts it was resolved with.</summary>
    /// <exception cref="HostNotRegisteredException">No node of this name is stored.</exception>
    public async Task<(RoutePlan Plan, HostFacts Facts)> PlanAsync(CancellationToken cancellationToken = default)
    {
        var nodes = (await _client.Nodes.ListAsync(cancellationToken).ConfigureAwait(false)).Items;
        var local = nodes.FirstOrDefault(n => n.Name == NodeName) ?? throw new HostNotRegisteredException(NodeName, _client.Location);
        var pools = (await _client.IPPools.ListAsync(cancellationToken).ConfigureAwait(false)).Items;
        var blocks = await _client.Ipam.ListBlocksAsync(cancellationToken).ConfigureAwait(false);
        var address = IPPrefix.TryParseAddressOrPrefix(local.IPv4Address, out var prefix, out _) ? prefix.Address : (IPAddress?)null;
        var facts = HostFacts.Read(_kernel, address);
        var plan = RoutePlanner.Plan(NodeName, nodes, pools, blocks, facts.ApplyTo(Settings));
        return (plan, facts);
    }

    public async Task<DataplaneDiff> DiffAsync(CancellationToken cancellationToken = default)
    {
        var (plan, facts) = await PlanAsync(cancellationToken).ConfigureAwait(false);
        return _reconciler.Diff(plan, facts);
    }

    public IReadOnlyList<DataplaneChange> Apply(DataplaneDiff diff) => _reconciler.Apply(diff);

    public async Task<DataplaneDrift> DriftAsync(CancellationToken cancellationToken = default)
    {
        var (plan, facts) = await PlanAsync(cancellationToken).ConfigureAwait(false);
        return _reconciler.Drift(plan, facts);
    }

    /// <summary>The IPAM handle of a workload this module plumbed (Calico's CNI plugin uses "&lt;network&gt;.&lt;container id&gt;").</summary>
    public static string WorkloadHandle(string workload) => "calico-ps." + workload;

    /// <summary>
    /// Gives a workload (a network namespace) an address from this node's IPAM blocks and plumbs it as Calico's CNI plugin
    /// does. The veth MTU is the smallest the pools' encapsulation allows, as the plugin's "auto" MTU.
    /// </summary>
    public async Task<Workload> AddWorkloadAsync(string workload, string netNamespace, IPAddress? address = null, CancellationToken cancellationToken = default)
    {
        var (plan, facts) = await PlanAsync(cancellationToken).ConfigureAwait(false);
        var handle = WorkloadHandle(workload);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { [AllocationAttribute.NodeKey] = NodeName, ["workload"] = workload };
        if (address is null)
        {
            var assigned = await _client.Ipam.AutoAssignAsync(new AutoAssignArgs { Host = NodeName, HandleId = handle, Attributes = attributes }, cancellationToken)
                .ConfigureAwait(false);
            assigned.ThrowIfIncomplete();
            address = assigned.Addresses[0];
        }
        else
        {
            await _client.Ipam.AssignIPAsync(new AssignIPArgs { Address = address, Host = NodeName, HandleId = handle, Attributes = attributes }, cancellationToken)
                .ConfigureAwait(false);
        }
        try
        {
            return new WorkloadPlumber(_kernel).Add(workload, NetworkNamespace.Named(netNamespace), address, WorkloadMtu(plan, facts));
        }
        catch
        {
            // Nothing plumbed: the address goes back, so a failed add leaves nothing behind.
            await _client.Ipam.ReleaseByHandleAsync(handle, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Unplumbs a workload and releases its address; false when there was neither.</summary>
    public async Task<bool> RemoveWorkloadAsync(string workload, CancellationToken cancellationToken = default)
    {
        var removed = new WorkloadPlumber(_kernel).Remove(workload);
        try
        {
            await _client.Ipam.ReleaseByHandleAsync(WorkloadHandle(workload), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Datastore.ResourceNotFoundException)
        {
            return removed;
        }
    }

    /// <summary>What `calicoctl node checksystem` misses, for this host: kernel support, MTUs, forwarding, the node's address.</summary>
    public async Task<IReadOnlyList<HostFinding>> CheckHostAsync(CancellationToken cancellationToken = default)
    {
        var node = await _client.Nodes.TryGetAsync(NodeName, cancellationToken).ConfigureAwait(false)
            ?? throw new HostNotRegisteredException(NodeName, _client.Location);
        var (plan, _) = await PlanAsync(cancellationToken).ConfigureAwait(false);
        return new HostChecker(_kernel).Check(node, plan.Settings, plan);
    }

    private static int WorkloadMtu(RoutePlan plan, HostFacts facts)
    {
        var hostMtu = facts.HostMtu;
        var mtus = plan.Devices.Where(d => d.Action == TunnelDeviceAction.Configure && d.Mtu is not null).Select(d => d.Mtu!.Value).ToList();
        return mtus.Count == 0 ? hostMtu : Math.Min(hostMtu, mtus.Min());
    }
}

/// <summary>The host's node is not in the datastore, so there is nothing to plan for it yet.</summary>
public sealed class HostNotRegisteredException : InvalidOperationException
{
    public HostNotRegisteredException(string node, string location)
        : base($"Node {node} is not in the {location}: run Register-CalicoNode on this host first.")
    {
        Node = node;
    }

    public string Node { get; }
}
