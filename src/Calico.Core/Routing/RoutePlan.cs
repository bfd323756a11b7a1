namespace Calico.Routing;

/// <summary>Everything one node's kernel should have for Calico networking, and what the planner noticed on the way.</summary>
public sealed class RoutePlan
{
    internal RoutePlan(
        string localNode,
        RouteSettings settings,
        IReadOnlyList<PlannedRoute> routes,
        IReadOnlyList<VxlanNeighbour> neighbours,
        IReadOnlyList<VxlanForwardingEntry> forwardingEntries,
        IReadOnlyList<TunnelDevicePlan> devices,
        IReadOnlyList<NatSets> nat,
        IReadOnlyList<PlanFinding> findings)
    {
        LocalNode = localNode;
        Settings = settings;
        Routes = routes;
        Neighbours = neighbours;
        ForwardingEntries = forwardingEntries;
        Devices = devices;
        Nat = nat;
        Findings = findings;
    }

    public string LocalNode { get; }
    /// <summary>The settings the plan was made with; the dataplane needs them to tell Calico's routes from others (<see cref="RouteOwnership"/>).</summary>
    public RouteSettings Settings { get; }
    /// <summary>One entry per destination, sorted by destination; Unreachable entries are not kernel routes.</summary>
    public IReadOnlyList<PlannedRoute> Routes { get; }
    public IReadOnlyList<VxlanNeighbour> Neighbours { get; }
    public IReadOnlyList<VxlanForwardingEntry> ForwardingEntries { get; }
    /// <summary>tunl0, vxlan.calico and vxlan-v6.calico, each with what to do with it.</summary>
    public IReadOnlyList<TunnelDevicePlan> Devices { get; }
    /// <summary>The outgoing-NAT sets, IPv4 first.</summary>
    public IReadOnlyList<NatSets> Nat { get; }
    public IReadOnlyList<PlanFinding> Findings { get; }

    /// <summary>The routes to program: every entry but the unreachable ones.</summary>
    public IEnumerable<PlannedRoute> ProgrammedRoutes => Routes.Where(r => r.IsProgrammed);

    public override string ToString() => $"route plan for {LocalNode}: {Routes.Count} destinations, {Findings.Count} findings";
}
