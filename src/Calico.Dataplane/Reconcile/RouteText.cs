using System.Globalization;
using System.Text;
using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Reconcile;

/// <summary>A route in `ip route` words, for showing old and new values.</summary>
internal static class RouteText
{
    public static string Format(Route route)
    {
        var text = new StringBuilder();
        if (route.Type != RouteType.Unicast) text.Append(route.Type.ToString().ToLowerInvariant()).Append(' ');
        text.Append(route.Destination);
        if (route.NextHops.Count > 0)
        {
            foreach (var hop in route.NextHops) text.Append(" nexthop via ").Append(hop.Gateway).Append(" dev ").Append(hop.Device);
        }
        if (route.Gateway is not null) text.Append(" via ").Append(route.Gateway);
        if (route.Device is not null) text.Append(" dev ").Append(route.Device);
        if (route.OnLink) text.Append(" onlink");
        text.Append(" proto ").Append(RouteProtocol.ToName(route.Protocol));
        if (route.Scope is { } scope and not RouteScope.Universe) text.Append(" scope ").Append(ScopeName(scope));
        if (route.Metric != 0) text.Append(" metric ").Append(N(route.Metric));
        if (route.PreferredSource is not null) text.Append(" src ").Append(route.PreferredSource);
        if (route.Mtu is { } mtu) text.Append(" mtu ").Append(N(mtu));
        return text.ToString();
    }

    private static string ScopeName(int scope) => scope switch
    {
        RouteScope.Link => "link",
        RouteScope.Host => "host",
        RouteScope.Site => "site",
        _ => N(scope),
    };

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
