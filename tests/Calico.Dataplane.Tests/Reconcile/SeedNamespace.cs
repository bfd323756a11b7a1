using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Tests.Support;
using Calico.Ipam;
using Calico.Resources;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>
/// node1 of the seed lab in a real network namespace: a veth "eth0" with 10.0.2.15/24 (its peer up in the same
/// namespace, so eth0 runs), and the plans for it made with the facts read from that namespace.
/// </summary>
internal sealed class SeedNamespace : IDisposable
{
    public SeedNamespace()
    {
        Lab = Lab.Create("node1");
        try
        {
            Lab.Veth("node1", "eth0", "node1", "peer0");
            Lab.Address("node1", "eth0", "10.0.2.15/24");
            Kernel = new RecordingKernel(Lab.Kernel("node1"));
            Facts = HostFacts.Read(Kernel, IPAddress.Parse("10.0.2.15"));
            Reconciler = new DataplaneReconciler(Kernel);
        }
        catch
        {
            Lab.Dispose();
            throw;
        }
    }

    public Lab Lab { get; }
    public RecordingKernel Kernel { get; }
    public HostFacts Facts { get; }
    public DataplaneReconciler Reconciler { get; }

    public RoutePlan Plan(IEnumerable<IPPool> pools, IEnumerable<Node>? nodes = null, string blockType = AllocationAttribute.TypeVXLAN) =>
        RoutePlanner.Plan("node1", nodes ?? SeedLab.Nodes(), pools, SeedLab.Blocks(blockType), Facts.ApplyTo(RouteSettings.Default));

    public RoutePlan VxlanPlan(VXLANMode mode = VXLANMode.Always, bool nat = false, IEnumerable<Node>? nodes = null) =>
        Plan([SeedLab.Pool("default-ipv4-ippool", SeedLab.PoolCidr, vxlan: mode, nat: nat)], nodes);

    public IReadOnlyList<DataplaneChange> Sync(RoutePlan plan) => Reconciler.Sync(plan, Facts);

    public DataplaneDiff Diff(RoutePlan plan) => Reconciler.Diff(plan, Facts);

    /// <summary>`ip -n node1 ARGS` output.</summary>
    public string Ip(params string[] arguments) => Lab.Ip("node1", arguments);

    public string Exec(params string[] command) => Lab.Exec("node1", command);

    public void Dispose() => Lab.Dispose();
}
