using Calico.Net;
using Calico.Resources;

namespace Calico.Routing;

/// <summary>felix's proto.IPPoolType: which route manager handles a pool's destinations.</summary>
internal enum PoolRouteType { None, NoEncap, IPIP, VXLAN }

/// <summary>What felix takes from an IPPool, after the v3 → v1 conversion it reads pools through.</summary>
internal sealed class PoolFacts
{
    public required string Name { get; init; }
    /// <summary>The masked CIDR (IPPoolV3ToV1 parses it with net.ParseCIDR, libcalico-go/lib/backend/k8s/resources/ippool.go:59).</summary>
    public required IPPrefix Cidr { get; init; }
    public required NetKey Key { get; init; }
    public required IPIPMode IPIPMode { get; init; }
    public required VXLANMode VXLANMode { get; init; }
    public required bool NatOutgoing { get; init; }
    public required bool Disabled { get; init; }
    public required bool LoadBalancerOnly { get; init; }

    public int Family => Cidr.Family;

    /// <summary>
    /// poolTypeForPool (l3_route_resolver.go:626-640): LoadBalancer-only pools have no type; otherwise VXLAN if its
    /// mode is not Never, else IPIP if its mode is not Never, else unencapsulated. Disabled pools keep their type:
    /// nothing in the resolver looks at Disabled.
    /// </summary>
    public PoolRouteType Type =>
        LoadBalancerOnly ? PoolRouteType.None
        : VXLANMode != VXLANMode.Never ? PoolRouteType.VXLAN
        : IPIPMode != IPIPMode.Never ? PoolRouteType.IPIP
        : PoolRouteType.NoEncap;

    /// <summary>l3_route_resolver.go:622: either mode being CrossSubnet makes the pool cross-subnet.</summary>
    public bool CrossSubnet => IPIPMode == IPIPMode.CrossSubnet || VXLANMode == VXLANMode.CrossSubnet;

    /// <summary>What the encapsulation resolver counts (encapsulation_resolver.go:179,233-260).</summary>
    public bool CountsAsIPIP => IPIPMode != IPIPMode.Never;
    public bool CountsAsVXLAN => VXLANMode != VXLANMode.Never;
    public bool CountsAsNoEncap => !CountsAsIPIP && !CountsAsVXLAN;

    /// <summary>How the pool's mode reads in a reason: "IPIP CrossSubnet", "VXLAN Always", "Never".</summary>
    public string ModeLabel => Type switch
    {
        PoolRouteType.VXLAN => CrossSubnet ? "VXLAN CrossSubnet" : "VXLAN Always",
        PoolRouteType.IPIP => CrossSubnet ? "IPIP CrossSubnet" : "IPIP Always",
        PoolRouteType.NoEncap => "Never",
        _ => "LoadBalancer-only",
    };

    /// <summary>The facts of a pool, or null (with the reason) when its CIDR does not parse.</summary>
    public static PoolFacts? From(IPPool pool, out string? problem)
    {
        problem = null;
        if (pool.Prefix is not { } cidr)
        {
            problem = $"spec.cidr '{pool.Spec.Cidr}' is not a CIDR: the pool is ignored";
            return null;
        }
        var uses = pool.Spec.AllowedUses;
        return new PoolFacts
        {
            Name = pool.Name,
            Cidr = cidr.Network,
            Key = NetKey.FromPrefix(cidr),
            IPIPMode = pool.IPIPMode,
            VXLANMode = pool.VXLANMode,
            NatOutgoing = pool.NatOutgoing,
            Disabled = pool.Disabled,
            // isLoadBalancerOnlyPool (l3_route_resolver.go:649-651) and isLoadBalancerOnly (masq_mgr.go:168-171).
            LoadBalancerOnly = uses is { Count: 1 } && uses[0] == IPPoolAllowedUse.LoadBalancer,
        };
    }
}
