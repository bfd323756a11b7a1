using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>felix's main-table ownership policy: which existing routes Calico may delete.</summary>
public class RouteOwnershipTests
{
    private static readonly RouteSettings Defaults = RouteSettings.Default;

    [Theory]
    // Protocol 80 is felix's whatever the device, blackholes included.
    [InlineData(4, "eth0", 80, RouteOwner.Calico)]
    [InlineData(4, null, 80, RouteOwner.Calico)]
    // Other routes without a device are not.
    [InlineData(4, null, 3, RouteOwner.Foreign)]
    [InlineData(4, "eth0", 3, RouteOwner.Foreign)]
    [InlineData(4, "eth0", 2, RouteOwner.Foreign)]
    // The VXLAN device of the family is felix's whatever the protocol.
    [InlineData(4, "vxlan.calico", 3, RouteOwner.Calico)]
    [InlineData(4, "vxlan.calico", 186, RouteOwner.Calico)]
    [InlineData(6, "vxlan-v6.calico", 3, RouteOwner.Calico)]
    [InlineData(6, "vxlan.calico", 3, RouteOwner.Foreign)]
    // tunl0 is not blanket-owned: BIRD's routes there are, when felix programs IPIP routes.
    [InlineData(4, "tunl0", 12, RouteOwner.Calico)]
    [InlineData(4, "tunl0", 3, RouteOwner.Foreign)]
    [InlineData(4, "tunl0", 80, RouteOwner.Calico)]
    // Workload interfaces: everything, with RemoveExternalRoutes (the default).
    [InlineData(4, "cali12345", 2, RouteOwner.Workload)]
    [InlineData(4, "bpfin.cali", 2, RouteOwner.Calico)]
    public void Default_ownership(int family, string? device, int protocol, RouteOwner owner) =>
        Assert.Equal(owner, RouteOwnership.Classify(Defaults, family, device, protocol));

    [Fact]
    public void BIRDs_tunl0_routes_stay_BIRDs_when_BIRD_programs_IPIP()
    {
        var birdIPIP = Defaults with { ProgramClusterRoutes = ProgramClusterRoutes.Disabled };
        Assert.False(RouteOwnership.IsCalicoRoute(birdIPIP, 4, "tunl0", RouteProtocols.Bird));
        Assert.False(RouteOwnership.IsCalicoRoute(Defaults, 6, "tunl0", RouteProtocols.Bird));
    }

    [Fact]
    public void A_configured_DeviceRouteProtocol_becomes_the_only_exclusive_protocol()
    {
        var custom = Defaults with { DeviceRouteProtocol = 99 };
        Assert.True(RouteOwnership.IsCalicoRoute(custom, 4, null, 99));
        Assert.False(RouteOwnership.IsCalicoRoute(custom, 4, null, 80));
        Assert.False(RouteOwnership.IsCalicoRoute(custom, 4, "tunl0", 80));
    }

    [Fact]
    public void Without_RemoveExternalRoutes_workload_routes_need_one_of_felixs_protocols()
    {
        var keep = Defaults with { RemoveExternalRoutes = false };
        Assert.Equal(RouteOwner.Workload, RouteOwnership.Classify(keep, 4, "cali0", 3));
        Assert.Equal(RouteOwner.Foreign, RouteOwnership.Classify(keep, 4, "cali0", 2));
        Assert.Equal(RouteOwner.Workload, RouteOwnership.Classify(keep with { InterfacePrefix = "tap,cali" }, 4, "tap9", 80));
    }

    [Fact]
    public void Every_route_the_plan_programs_is_one_Calico_owns()
    {
        var plans = new[]
        {
            SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(Calico.Resources.IPIPMode.CrossSubnet)]),
            SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.VXLANPool(Calico.Resources.VXLANMode.CrossSubnet)]),
        };
        foreach (var route in plans.SelectMany(p => p.ProgrammedRoutes))
            Assert.Equal(RouteOwner.Calico, RouteOwnership.Classify(SeedLab.Settings, route.Family, route.Device, route.Protocol));
    }
}
