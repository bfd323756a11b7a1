using System.Net;
using Calico.Net;
using Calico.Routing;

namespace Calico.Analysis;

/// <summary>
/// One destination of one node's route plan: what felix on <see cref="Node"/> would program for it (or, Type
/// Unreachable, why nothing can be). The route's own fields are repeated here so a table or Where-Object reaches them.
/// </summary>
public sealed record NodeRoute(string Node, PlannedRoute Route)
{
    public IPPrefix Destination => Route.Destination;
    public IPAddress? Gateway => Route.Gateway;
    /// <summary>The output device; <see cref="PlannedRoute.HostInterface"/> when the node's host interface is not known here.</summary>
    public string? Device => Route.Device;
    public bool Encapsulated => Route.Encapsulated;
    public PlannedRouteType Type => Route.Type;
    /// <summary>The node the destination's workloads live on.</summary>
    public string? RemoteNode => Route.RemoteNode;
    public string? Pool => Route.Pool;
    public int? Mtu => Route.Mtu;
    public string Reason => Route.Reason;

    /// <summary>Every destination of a plan, each with the plan's node.</summary>
    public static IEnumerable<NodeRoute> From(RoutePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Routes.Select(r => new NodeRoute(plan.LocalNode, r));
    }

    public override string ToString() => $"{Node}: {Route}";
}
