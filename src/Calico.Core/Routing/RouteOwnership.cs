namespace Calico.Routing;

/// <summary>Whose a kernel route in the main table is.</summary>
public enum RouteOwner
{
    /// <summary>Not Calico's: leave it alone.</summary>
    Foreign,
    /// <summary>Calico's, and governed by the route plan: delete it when the plan does not have it.</summary>
    Calico,
    /// <summary>Calico's, but on a workload interface: governed by the workload, not the route plan.</summary>
    Workload,
}

/// <summary>
/// felix's ownership policy for the main routing table (felix/routetable/ownershippol/main_route_table_policy.go:30-215,
/// built at int_dataplane.go:776-811): which existing routes Calico may change or delete.
/// </summary>
public static class RouteOwnership
{
    /// <summary>The BPF dataplane's special device, which felix also claims (main_route_table_policy.go:66).</summary>
    public const string BpfInDevice = "bpfin.cali";

    /// <summary>
    /// Classifies a route by its device (null or empty for a route with no device, such as a blackhole) and protocol.
    /// Everything felix calls its own is <see cref="RouteOwner.Calico"/> or <see cref="RouteOwner.Workload"/>.
    /// </summary>
    public static RouteOwner Classify(RouteSettings settings, int family, string? device, int protocol)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var isWorkload = !string.IsNullOrEmpty(device) && settings.WorkloadInterfacePrefixes.Any(p => device.StartsWith(p, StringComparison.Ordinal));
        var owned = IsOwned(settings, family, device, protocol, isWorkload);
        return !owned ? RouteOwner.Foreign : isWorkload ? RouteOwner.Workload : RouteOwner.Calico;
    }

    /// <summary>True when felix counts the route as its own (RouteIsOurs, main_route_table_policy.go:162-215).</summary>
    public static bool IsCalicoRoute(RouteSettings settings, int family, string? device, int protocol) =>
        Classify(settings, family, device, protocol) != RouteOwner.Foreign;

    private static bool IsOwned(RouteSettings settings, int family, string? device, int protocol, bool isWorkload)
    {
        // With the default DeviceRouteProtocol 3 (shared with other software) only 80 is exclusive; any other
        // configured protocol is felix's alone (main_route_table_policy.go:37-58).
        var exclusive = settings.CalicoRouteProtocol;
        // Exclusive protocol: same-subnet routes via the host interface, blackholes and the like (169-171).
        if (protocol == exclusive) return true;
        // Routes without a device are felix's only with the exclusive protocol (176-178).
        if (string.IsNullOrEmpty(device)) return false;
        if (isWorkload)
        {
            // RemoveExternalRoutes: any route on a workload interface is felix's (181-193); otherwise only with one of
            // felix's protocols (198). (felix also spares BIRD's routes on a workload acting as a BGP peer, 185-189,
            // which the planner cannot know about.)
            if (settings.RemoveExternalRoutes) return true;
            return protocol == exclusive || (settings.DeviceRouteProtocol == RouteProtocols.Boot && protocol == RouteProtocols.Boot);
        }
        // BIRD's routes on tunl0 are felix's when felix programs the IPIP routes; IPv4 only (206-210; int_dataplane.go:808-810).
        if (family == 4 && settings.ProgramIPIPClusterRoutes && device == TunnelDevicePlan.IPIPDevice && protocol == RouteProtocols.Bird)
            return true;
        // The VXLAN device of the family and the BPF device are felix's whatever the protocol (62-73,214); tunl0 is not.
        var vxlanDevice = family == 6 ? TunnelDevicePlan.VXLANDeviceV6 : TunnelDevicePlan.VXLANDevice;
        return device == vxlanDevice || device == BpfInDevice;
    }
}
