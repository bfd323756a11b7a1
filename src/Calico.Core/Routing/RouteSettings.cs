namespace Calico.Routing;

/// <summary>Who programs cluster routes, FelixConfiguration <c>programClusterRoutes</c> (felix/config/config_params.go:318).</summary>
public enum ProgramClusterRoutes
{
    /// <summary>Felix programs IPIP and unencapsulated routes.</summary>
    Enabled,
    /// <summary>BIRD programs both.</summary>
    Disabled,
    /// <summary>Felix's default at HEAD: felix programs IPIP routes, BIRD unencapsulated ones.</summary>
    EnabledIPIPOnly,
    /// <summary>Felix programs unencapsulated routes, BIRD IPIP ones.</summary>
    EnabledNoEncapOnly,
}

/// <summary>
/// The felix settings the route plan depends on (names as in FelixConfiguration), plus two facts about the host
/// that only the dataplane can find out: its MTU and the name of the interface holding the node's address.
/// </summary>
public sealed record RouteSettings
{
    public static RouteSettings Default { get; } = new();

    /// <summary>
    /// Felix's default is <see cref="ProgramClusterRoutes.EnabledIPIPOnly"/>, which leaves unencapsulated (Never) pools to
    /// BIRD. This project runs no BIRD, so it programs every cluster route itself: the default here is Enabled.
    /// </summary>
    public ProgramClusterRoutes ProgramClusterRoutes { get; init; } = ProgramClusterRoutes.Enabled;

    /// <summary>felix DeviceRouteProtocol, default 3 (RTPROT_BOOT) (config_params.go:316).</summary>
    public int DeviceRouteProtocol { get; init; } = RouteProtocols.Boot;

    /// <summary>FelixConfiguration ipipEnabled; null lets the pools decide (encapsulation_resolver.go:269-275).</summary>
    public bool? IPIPEnabled { get; init; }

    /// <summary>FelixConfiguration vxlanEnabled (IPv4 only); null lets the pools decide (encapsulation_resolver.go:277-283).</summary>
    public bool? VXLANEnabled { get; init; }

    /// <summary>0 means host MTU − 20 (int_dataplane.go:1832-1835).</summary>
    public int IPIPMTU { get; init; }

    /// <summary>0 means host MTU − 50 (int_dataplane.go:1836-1839).</summary>
    public int VXLANMTU { get; init; }

    /// <summary>0 means host MTU − 70 (int_dataplane.go:1840-1843).</summary>
    public int VXLANMTUV6 { get; init; }

    public int VXLANPort { get; init; } = 4789;
    public int VXLANVNI { get; init; } = 4096;

    /// <summary>felix Ipv6Support, default true (config_params.go:309): without it no IPv6 routes, devices or sets.</summary>
    public bool IPv6Support { get; init; } = true;

    /// <summary>Workload interface prefixes, comma-separated (config_params.go:338).</summary>
    public string InterfacePrefix { get; init; } = "cali";

    /// <summary>Whether any route on a workload interface counts as Calico's (config_params.go:317).</summary>
    public bool RemoveExternalRoutes { get; init; } = true;

    /// <summary>
    /// The smallest MTU of the host's up interfaces, as the dataplane detects it; null when unknown, and then felix
    /// assumes 1460 (int_dataplane.go:1767-1771).
    /// </summary>
    public int? HostMTU { get; init; }

    /// <summary>
    /// The interface that holds this node's address (felix finds it by address, route_mgr.go:465-500); null when the
    /// planner does not know it, and then routes name <see cref="PlannedRoute.HostInterface"/> for the dataplane to resolve.
    /// </summary>
    public string? HostInterface { get; init; }

    internal const int FallbackHostMTU = 1460;

    internal bool ProgramIPIPClusterRoutes =>
        ProgramClusterRoutes is ProgramClusterRoutes.Enabled or ProgramClusterRoutes.EnabledIPIPOnly;

    internal bool ProgramNoEncapClusterRoutes =>
        ProgramClusterRoutes is ProgramClusterRoutes.Enabled or ProgramClusterRoutes.EnabledNoEncapOnly;

    /// <summary>The protocol felix puts on IPIP, same-subnet and blackhole routes (route_mgr.go:137-151).</summary>
    internal int CalicoRouteProtocol => DeviceRouteProtocol == RouteProtocols.Boot ? RouteProtocols.Calico : DeviceRouteProtocol;

    internal string[] WorkloadInterfacePrefixes => InterfacePrefix.Split(',');
}

/// <summary>Route protocol numbers felix uses or recognises.</summary>
public static class RouteProtocols
{
    /// <summary>RTPROT_BOOT.</summary>
    public const int Boot = 3;
    /// <summary>RTPROT_BIRD.</summary>
    public const int Bird = 12;
    /// <summary>felix's own protocol, dataplanedefs.DefaultRouteProto.</summary>
    public const int Calico = 80;
}
