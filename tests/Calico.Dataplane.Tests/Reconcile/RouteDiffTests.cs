using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Resources;
using static Calico.Dataplane.Tests.Reconcile.SeedKernel;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>Routes of hand-built kernel states against the seed's plans: only Calico's routes are ever changed.</summary>
public class RouteDiffTests
{
    [Fact]
    public void A_kernel_that_has_the_plan_needs_no_change()
    {
        var diff = Diff(VxlanInSync(), VxlanPlan());
        Assert.Empty(diff.Changes);
        Assert.Empty(diff.Warnings);
    }

    [Fact]
    public void An_empty_kernel_gets_every_planned_route_in_iproute2_words()
    {
        var diff = Diff(Bare(), VxlanPlan());
        Assert.Equal(
            ["blackhole 192.168.1.0/26 proto 80",
             "192.168.2.0/26 via 192.168.2.0 dev vxlan.calico onlink proto boot mtu 1450",
             "192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto boot mtu 1450"],
            diff.Changes.Where(c => c.Object == DataplaneObject.Route).Select(c => c.NewValue));
        Assert.All(diff.Changes.Where(c => c.Object == DataplaneObject.Route), c => Assert.Equal(ChangeKind.Add, c.Kind));
    }

    [Fact]
    public void Foreign_routes_are_left_alone_whatever_their_destination()
    {
        var kernel = VxlanInSync();
        kernel.Route(new Route { Destination = P("0.0.0.0/0"), Gateway = A("10.0.2.1"), Device = "eth0", Protocol = RouteProtocol.Static });
        kernel.Route(new Route { Destination = P("192.168.7.0/24"), Gateway = A("10.0.2.1"), Device = "eth0", Protocol = RouteProtocol.Boot });
        kernel.Route(new Route { Destination = P("192.168.8.0/24"), Type = RouteType.Blackhole, Protocol = RouteProtocol.Boot });
        kernel.Route(new Route { Destination = P("192.168.9.0/26"), Gateway = A("10.0.2.10"), Device = "eth0", OnLink = true, Protocol = RouteProtocol.Calico, Table = 100 });
        Assert.Empty(Diff(kernel, VxlanPlan()).Changes);
    }

    [Fact]
    public void Stale_proto_80_routes_and_anything_on_vxlan_calico_are_deleted()
    {
        var kernel = VxlanInSync();
        kernel.Route(new Route { Destination = P("192.168.4.0/26"), Gateway = A("10.0.2.20"), Device = "eth0", OnLink = true, Protocol = RouteProtocol.Calico });
        kernel.Route(new Route { Destination = P("192.168.5.0/26"), Type = RouteType.Blackhole, Protocol = RouteProtocol.Calico });
        kernel.Route(VxlanRoute("192.168.6.0/26", "192.168.6.0") with { Protocol = RouteProtocol.Static });

        var diff = Diff(kernel, VxlanPlan());

        Assert.Equal(
            ["Delete Route 192.168.4.0/26", "Delete Route 192.168.5.0/26", "Delete Route 192.168.6.0/26"],
            Summary(diff));
        Assert.Equal("192.168.4.0/26 via 10.0.2.20 dev eth0 onlink proto 80", diff.Changes[0].OldValue);
        Assert.Equal("blackhole 192.168.5.0/26 proto 80", diff.Changes[1].OldValue);
    }

    [Fact]
    public void A_changed_gateway_is_a_change_with_old_and_new_route()
    {
        var kernel = VxlanInSync();
        kernel.Routes.RemoveAll(r => r.Destination == P("192.168.3.0/26"));
        kernel.Route(VxlanRoute("192.168.3.0/26", "192.168.3.9"));

        var change = Assert.Single(Diff(kernel, VxlanPlan()).Changes);

        Assert.Equal((ChangeKind.Change, DataplaneObject.Route, "192.168.3.0/26"), (change.Kind, change.Object, change.Target));
        Assert.Equal("192.168.3.0/26 via 192.168.3.9 dev vxlan.calico onlink proto boot mtu 1450", change.OldValue);
        Assert.Equal("192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto boot mtu 1450", change.NewValue);
        Assert.StartsWith("VXLAN", change.Reason);
        Assert.Equal("Change route 192.168.3.0/26: 192.168.3.0/26 via 192.168.3.9 dev vxlan.calico onlink proto boot mtu 1450 → "
            + "192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto boot mtu 1450", change.Description);
    }

    [Theory]
    [InlineData("mtu", "192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto boot mtu 1400")]
    [InlineData("onlink", "192.168.3.0/26 via 192.168.3.0 dev vxlan.calico proto boot mtu 1450")]
    [InlineData("protocol", "192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto 80 mtu 1450")]
    public void Every_field_felix_compares_makes_a_change(string field, string old)
    {
        var kernel = VxlanInSync();
        var index = kernel.Routes.FindIndex(r => r.Destination == P("192.168.3.0/26"));
        kernel.Routes[index] = field switch
        {
            "mtu" => kernel.Routes[index] with { Mtu = 1400 },
            "onlink" => kernel.Routes[index] with { OnLink = false },
            _ => kernel.Routes[index] with { Protocol = RouteProtocol.Calico },
        };
        var change = Assert.Single(Diff(kernel, VxlanPlan()).Changes);
        Assert.Equal((ChangeKind.Change, old), (change.Kind, change.OldValue));
    }

    [Fact]
    public void A_foreign_route_where_the_plan_wants_one_is_left_alone_with_a_warning()
    {
        var kernel = VxlanInSync();
        kernel.Routes.RemoveAll(r => r.Destination == P("192.168.2.0/26"));
        kernel.Route(new Route { Destination = P("192.168.2.0/26"), Gateway = A("10.0.2.1"), Device = "eth0", Protocol = RouteProtocol.Static });

        var diff = Diff(kernel, VxlanPlan());

        Assert.Empty(diff.Changes);
        Assert.Contains(diff.Warnings, w => w.StartsWith("route 192.168.2.0/26: a route that is not Calico's (192.168.2.0/26 via 10.0.2.1 dev eth0 proto static)"));
    }

    [Fact]
    public void Workload_routes_are_not_the_plans_to_delete()
    {
        var kernel = VxlanInSync().Device("cali1234567890a");
        kernel.Route(new Route { Destination = P("192.168.1.5/32"), Device = "cali1234567890a", Protocol = RouteProtocol.Boot, Scope = RouteScope.Link });
        Assert.Empty(Diff(kernel, VxlanPlan()).Changes);
    }

    [Fact]
    public void BIRDs_tunl0_routes_are_Calicos_while_felix_programs_IPIP_routes()
    {
        var kernel = Bare().Device(new Link { Index = 9, Name = "tunl0", Kind = "ipip", Mtu = 1480, Flags = ["UP"], OperationalState = "UNKNOWN" }, "192.168.1.0/32");
        kernel.Route(new Route { Destination = P("192.168.9.0/26"), Gateway = A("10.0.3.99"), Device = "tunl0", OnLink = true, Protocol = RouteProtocol.Bird });
        kernel.Route(new Route { Destination = P("192.168.8.0/26"), Gateway = A("10.0.3.98"), Device = "tunl0", OnLink = true, Protocol = RouteProtocol.Static });

        var diff = Diff(kernel, IpipPlan());

        Assert.Contains("Delete Route 192.168.9.0/26", Summary(diff));
        Assert.DoesNotContain("Delete Route 192.168.8.0/26", Summary(diff));
    }

    [Fact]
    public void The_host_interface_placeholder_becomes_the_interface_holding_the_node_address()
    {
        var plan = Calico.Tests.Routing.SeedLab.Plan("node1", Calico.Tests.Routing.SeedLab.Nodes(),
            [Calico.Tests.Routing.SeedLab.VXLANPool(VXLANMode.CrossSubnet)], Calico.Tests.Routing.SeedLab.Blocks(Calico.Ipam.AllocationAttribute.TypeVXLAN),
            Calico.Routing.RouteSettings.Default with { HostMTU = 1500 });
        Assert.Contains(plan.Routes, r => r.Device == Calico.Routing.PlannedRoute.HostInterface);

        var diff = Diff(VxlanInSync(), plan);

        var change = Assert.Single(diff.Changes);
        Assert.Equal("192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80", change.NewValue);
        Assert.Equal("eth0", diff.Facts.ParentInterface);
    }

    [Fact]
    public void Routes_through_a_device_that_will_not_exist_are_skipped_with_a_warning()
    {
        var nodes = Calico.Tests.Routing.SeedLab.Nodes();
        nodes[0].Spec.IPv4VXLANTunnelAddr = null;   // node1 has no VTEP: vxlan.calico cannot be made
        var diff = Diff(Bare(), VxlanPlan(nodes: nodes));
        Assert.DoesNotContain(diff.Changes, c => c.NewValue?.Contains("vxlan.calico") == true);
        Assert.Contains(diff.Warnings, w => w.StartsWith("vxlan.calico: not configured: this node has no VTEP"));
        Assert.Contains(diff.Warnings, w => w == "route 192.168.2.0/26: not programmed: device vxlan.calico cannot be configured");
    }
}
