using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Resources;
using static Calico.Dataplane.Tests.Reconcile.SeedKernel;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>tunl0 and vxlan.calico in hand-built kernel states: created, configured, recreated, emptied, deleted.</summary>
public class TunnelDeviceDiffTests
{
    private static Link Tunl0(int mtu = 1480, bool up = true) => new()
    {
        Index = 9, Name = "tunl0", Kind = "ipip", Mtu = mtu, Flags = up ? ["NOARP", "UP", "LOWER_UP"] : ["NOARP"],
        OperationalState = "UNKNOWN", LinkType = "ipip", Address = "0.0.0.0",
    };

    [Fact]
    public void The_existing_tunl0_gets_its_one_address_mtu_and_up_and_loses_the_others()
    {
        var kernel = Bare().Device(Tunl0(mtu: 1480, up: false), "192.168.1.0/32", "10.99.0.1/24", "fd00::1/64");

        var diff = Diff(kernel, IpipPlan());

        Assert.Equal(
            ["Change TunnelDevice tunl0", "Delete Address tunl0"],
            Summary(diff).Where(s => !s.Contains("Route")));
        Assert.Equal(("mtu 1480 down", "mtu 1480 up"), (diff.Changes[0].OldValue, diff.Changes[0].NewValue));
        Assert.Equal("10.99.0.1/24 dev tunl0", diff.Changes[1].OldValue);
        Assert.False(diff.NeedsIpip);
    }

    [Fact]
    public void A_missing_tunl0_is_created_as_an_ipip_link_and_needs_the_ipip_module()
    {
        var diff = Diff(Bare(), IpipPlan());

        var device = diff.Changes[0];
        Assert.Equal((ChangeKind.Add, DataplaneObject.TunnelDevice, "tunl0 type ipip mtu 1480 up"), (device.Kind, device.Object, device.NewValue));
        Assert.Equal("Add Address tunl0", Summary(diff)[1]);
        Assert.Equal("192.168.1.0/32 dev tunl0", diff.Changes[1].NewValue);
        Assert.True(diff.NeedsIpip);
        Assert.Contains("Add Route 192.168.3.0/26", Summary(diff));
    }

    [Fact]
    public void With_IPIP_implicitly_off_tunl0_loses_its_addresses_and_nothing_else()
    {
        var kernel = Bare().Device(Tunl0(), "192.168.1.0/32");
        var diff = Diff(kernel, VxlanPlan());
        var change = Assert.Single(diff.Changes, c => c.Target == "tunl0");
        Assert.Equal((ChangeKind.Delete, DataplaneObject.Address, "192.168.1.0/32 dev tunl0"), (change.Kind, change.Object, change.OldValue));
    }

    [Fact]
    public void The_planned_address_goes_on_before_a_stray_one_comes_off()
    {
        // A device without an IPv4 address, even between two batch lines, has its routes flushed by the kernel
        // (found by the IP-in-IP lab: a sync then ended without Calico's tunl0 routes).
        var kernel = Bare().Device(Tunl0(), "10.99.0.1/32");
        var addresses = Summary(Diff(kernel, IpipPlan())).Where(s => s.Contains("Address")).ToArray();
        Assert.Equal(["Add Address tunl0", "Delete Address tunl0"], addresses);
    }

    [Fact]
    public void When_tunl0_loses_its_last_address_its_routes_go_with_it_without_commands_of_their_own()
    {
        // IPIP off: deleting tunl0's last IPv4 address flushes its routes, so a later "route del ... dev tunl0"
        // would fail with ENOENT and stop the batch (found by the IP-in-IP lab).
        var kernel = Bare().Device(Tunl0(), "192.168.1.0/32");
        kernel.Route(new Route
        {
            Destination = P("192.168.9.0/26"), Gateway = A("10.0.3.20"), Device = "tunl0", Protocol = RouteProtocol.Calico, OnLink = true,
        });
        var diff = Diff(kernel, VxlanPlan());
        var route = Assert.Single(diff.Changes, c => c.Object == DataplaneObject.Route && c.Kind == ChangeKind.Delete && c.OldValue!.Contains("tunl0"));
        Assert.Equal("tunl0 loses its last IPv4 address, and the kernel flushes its routes with it", route.CausedBy);
        Assert.Null(route.Batch);
    }

    [Fact]
    public void A_missing_vxlan_device_is_created_with_calicos_settings()
    {
        var diff = Diff(Bare(), VxlanPlan());
        Assert.Equal(
            "vxlan.calico type vxlan id 4096 local 10.0.2.15 dev eth0 dstport 4789 nolearning address 66:f9:37:c3:7e:94 mtu 1450 up",
            diff.Changes[0].NewValue);
        Assert.Equal(["Add TunnelDevice vxlan.calico", "Add Address vxlan.calico"], Summary(diff).Take(2));
    }

    [Theory]
    [InlineData("vni", "its VNI is 4097, not 4096")]
    [InlineData("parent", "its parent device is eth1, not eth0")]
    [InlineData("mac", "its MAC is 66:00:00:00:00:01, not 66:f9:37:c3:7e:94")]
    [InlineData("learning", "it learns remote MACs (learning on), and Calico's does not")]
    public void An_incompatible_vxlan_device_is_recreated_and_its_entries_come_back(string field, string reason)
    {
        var kernel = VxlanInSync().Device("eth1");
        kernel.Links.RemoveAll(l => l.Name == "vxlan.calico");
        kernel.Links.Add(field switch
        {
            "vni" => VxlanDevice(vni: 4097),
            "parent" => VxlanDevice(parent: "eth1"),
            "mac" => VxlanDevice(mac: "66:00:00:00:00:01"),
            _ => VxlanDevice(learning: true),
        });

        var diff = Diff(kernel, VxlanPlan());

        var recreate = diff.Changes[0];
        Assert.Equal((ChangeKind.Change, DataplaneObject.TunnelDevice, "vxlan.calico"), (recreate.Kind, recreate.Object, recreate.Target));
        Assert.Equal($"{reason}; the device is recreated", recreate.Reason);
        Assert.EndsWith("(recreated)", recreate.NewValue);
        // Everything that was on the device goes with it and is added again; none of that is drift of its own.
        var rest = diff.Changes.Skip(1).ToList();
        Assert.Equal(7, rest.Count);   // address, 2 routes, 2 neighbours, 2 FDB entries
        Assert.All(rest, c => Assert.Equal((ChangeKind.Add, "vxlan.calico is recreated"), (c.Kind, c.CausedBy)));
        var drift = new DataplaneReconciler(kernel, _ => throw new InvalidOperationException()).Drift(VxlanPlan());
        Assert.Equal((0, 0, 1), (drift.Missing.Count, drift.Extra.Count, drift.Wrong.Count));
    }

    [Fact]
    public void A_wrong_vxlan_mtu_is_changed_in_place()
    {
        var kernel = VxlanInSync();
        kernel.Links[kernel.Links.FindIndex(l => l.Name == "vxlan.calico")] = VxlanDevice(mtu: 1500);
        var change = Assert.Single(Diff(kernel, VxlanPlan()).Changes);
        Assert.Equal((ChangeKind.Change, "mtu 1500 up", "mtu 1450 up"), (change.Kind, change.OldValue, change.NewValue));
    }

    [Fact]
    public void Without_VXLAN_the_device_is_deleted_and_its_entries_go_with_it()
    {
        var kernel = VxlanInSync();
        kernel.Route(VxlanRoute("192.168.6.0/26", "192.168.6.0"));

        var diff = Diff(kernel, IpipPlan());

        var device = Assert.Single(diff.Changes, c => c.Target == "vxlan.calico");
        Assert.Equal((ChangeKind.Delete, DataplaneObject.TunnelDevice), (device.Kind, device.Object));
        // A stale route on it goes with the device: listed, but with no command of its own, and not drift.
        var stale = Assert.Single(diff.Changes, c => c.Target == "192.168.6.0/26");
        Assert.Equal((ChangeKind.Delete, "vxlan.calico is deleted"), (stale.Kind, stale.CausedBy));
        // The planned destinations move to tunl0; neighbours and FDB entries vanish with the device unlisted.
        Assert.Equal("192.168.2.0/26 via 10.0.2.10 dev tunl0 onlink proto 80 mtu 1480",
            Assert.Single(diff.Changes, c => c.Target == "192.168.2.0/26").NewValue);
        Assert.DoesNotContain(diff.Changes, c => c.Object is DataplaneObject.Neighbour or DataplaneObject.FdbEntry);
    }

    [Fact]
    public void A_foreign_device_named_vxlan_calico_is_recreated_but_one_named_tunl0_is_left_alone()
    {
        var kernel = Bare().Device("vxlan.calico").Device("tunl0");
        var vxlan = Diff(kernel, VxlanPlan());
        Assert.Equal("it is a plain device, not a VXLAN device; the device is recreated", vxlan.Changes[0].Reason);

        var ipip = Diff(kernel, IpipPlan());
        Assert.Contains("tunl0: exists but is a plain device, not an ipip device; left alone, and nothing is routed through it", ipip.Warnings);
        Assert.DoesNotContain(ipip.Changes, c => c.Target == "tunl0" || c.NewValue?.Contains("tunl0") == true);
    }
}
