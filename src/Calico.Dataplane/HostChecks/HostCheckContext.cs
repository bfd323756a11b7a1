using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Dataplane.HostChecks;

/// <summary>What every check looks at, read once: the node, the settings and plan (when given), and the host's kernel.</summary>
internal sealed class HostCheckContext
{
    public required Node Node { get; init; }
    public required RouteSettings Settings { get; init; }
    public RoutePlan? Plan { get; init; }
    public required HostFacts Facts { get; init; }
    public required IReadOnlyList<Link> Links { get; init; }
    public required IReadOnlyList<InterfaceAddress> Addresses { get; init; }
    public required IKernelReader Kernel { get; init; }
    public required Func<KernelFeature, KernelFeatureStatus> Probe { get; init; }
    public List<HostFinding> Findings { get; } = [];

    public void Add(HostFindingSeverity severity, string check, string message, string fix) => Findings.Add(new(severity, check, message, fix));

    public Link? Link(string name) => Links.FirstOrDefault(l => l.Name == name);
}
