namespace Calico.Routing;

/// <summary>
/// Which of felix's route managers run and with what MTUs, from the pools and the settings. A change here changes
/// every destination, so the planner re-plans from scratch when it does.
/// </summary>
internal readonly record struct Encapsulation(
    bool IPIPEnabled,
    bool VXLANEnabled,
    bool VXLANEnabledV6,
    bool NoEncapNeeded,
    bool AnyCrossSubnet,
    bool ProgramIPIPRoutes,
    bool IPv6Support,
    int HostMtu,
    bool HostMtuAssumed,
    int IPIPMtu,
    int VXLANMtu,
    int VXLANMtuV6)
{
    public static Encapsulation From(IEnumerable<PoolFacts> effectivePools, RouteSettings settings)
    {
        bool ipip = false, vxlan = false, vxlanV6 = false, noEncap = false, crossSubnet = false;
        foreach (var pool in effectivePools)
        {
            // encapsulation_resolver.go:168-183,233-260 counts every pool: disabled and LoadBalancer-only ones too.
            ipip |= pool.CountsAsIPIP;
            if (pool.CountsAsVXLAN)
            {
                if (pool.Family == 6) vxlanV6 = true; else vxlan = true;
            }
            noEncap |= pool.CountsAsNoEncap;
            crossSubnet |= pool.CrossSubnet;
        }
        var hostMtu = settings.HostMTU ?? RouteSettings.FallbackHostMTU;
        return new Encapsulation(
            // An explicit ipipEnabled / vxlanEnabled wins over the pools (encapsulation_resolver.go:269-283);
            // IPv6 VXLAN has no such override (285-287).
            IPIPEnabled: settings.IPIPEnabled ?? ipip,
            VXLANEnabled: settings.VXLANEnabled ?? vxlan,
            VXLANEnabledV6: vxlanV6,
            // NoEncapNeeded already folds in programClusterRoutes (encapsulation_resolver.go:292-297).
            NoEncapNeeded: settings.ProgramNoEncapClusterRoutes && noEncap,
            AnyCrossSubnet: crossSubnet,
            ProgramIPIPRoutes: settings.ProgramIPIPClusterRoutes,
            IPv6Support: settings.IPv6Support,
            HostMtu: hostMtu,
            HostMtuAssumed: settings.HostMTU is null,
            // ConfigureDefaultMTUs (int_dataplane.go:1830-1843) with the overheads of 484-486.
            IPIPMtu: settings.IPIPMTU != 0 ? settings.IPIPMTU : hostMtu - 20,
            VXLANMtu: settings.VXLANMTU != 0 ? settings.VXLANMTU : hostMtu - 50,
            VXLANMtuV6: settings.VXLANMTUV6 != 0 ? settings.VXLANMTUV6 : hostMtu - 70);
    }

    /// <summary>The IPIP manager exists (int_dataplane.go:1395) and feeds routes to its route manager (ipip_mgr.go:146-149).</summary>
    public bool IPIPRoutes => IPIPEnabled && ProgramIPIPRoutes;

    /// <summary>A VXLAN manager exists for the family (int_dataplane.go:890,1498).</summary>
    public bool VXLANRoutes(int family) => family == 6 ? VXLANEnabledV6 && IPv6Support : VXLANEnabled;

    /// <summary>A no-encapsulation manager exists for the family (int_dataplane.go:842-874).</summary>
    public bool NoEncapRoutes(int family) => NoEncapNeeded && (family == 4 || IPv6Support);

    public int VXLANMtuFor(int family) => family == 6 ? VXLANMtuV6 : VXLANMtu;

    /// <summary>Whether the manager for a pool type runs for the family, i.e. whether felix programs anything for it.</summary>
    public bool ManagerRuns(PoolRouteType type, int family) => type switch
    {
        PoolRouteType.IPIP => family == 4 && IPIPRoutes,
        PoolRouteType.VXLAN => VXLANRoutes(family),
        PoolRouteType.NoEncap => NoEncapRoutes(family),
        _ => false,
    };
}
