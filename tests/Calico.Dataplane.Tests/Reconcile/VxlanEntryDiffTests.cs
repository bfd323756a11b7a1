using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using static Calico.Dataplane.Tests.Reconcile.SeedKernel;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>VXLAN neighbours and FDB entries: Calico's permanent entries on vxlan.calico only.</summary>
public class VxlanEntryDiffTests
{
    [Fact]
    public void Foreign_and_transient_neighbours_and_fdb_entries_are_left_alone()
    {
        var kernel = VxlanInSync();
        kernel.Neighbours.Add(Neighbour("10.0.2.1", "52:54:00:12:34:56", device: "eth0"));
        kernel.Neighbours.Add(Neighbour("10.0.2.99", "52:54:00:12:34:57", device: "eth0", state: NeighbourState.Reachable));
        kernel.Neighbours.Add(Neighbour("192.168.9.9", "66:00:00:00:00:09", state: NeighbourState.Reachable));
        kernel.Neighbours.Add(new Neighbour { Address = A("192.168.9.8"), Device = "vxlan.calico", State = NeighbourState.Incomplete });
        kernel.Fdb.Add(Fdb("33:33:00:00:00:01", "10.0.2.1", device: "eth0"));
        Assert.Empty(Diff(kernel, VxlanPlan()).Changes);
    }

    [Fact]
    public void Stale_permanent_entries_go_and_a_moved_VTEP_is_changed()
    {
        var kernel = VxlanInSync();
        kernel.Neighbours.Add(Neighbour("192.168.4.0", "66:00:00:00:00:04"));
        kernel.Fdb.Add(Fdb("66:00:00:00:00:04", "10.0.2.40"));
        kernel.Neighbours[1] = Neighbour("192.168.3.0", "66:00:00:00:00:03");
        kernel.Fdb[1] = Fdb(Node3Mac, "10.0.3.21");

        var diff = Diff(kernel, VxlanPlan());

        Assert.Equal(
            ["Delete Neighbour 192.168.4.0 dev vxlan.calico", "Change Neighbour 192.168.3.0 dev vxlan.calico",
             "Delete FdbEntry 66:00:00:00:00:04 dev vxlan.calico", "Change FdbEntry 66:a4:6f:e0:c4:da dev vxlan.calico"],
            Summary(diff));
        Assert.Equal("192.168.3.0 dev vxlan.calico lladdr 66:a4:6f:e0:c4:da nud permanent", diff.Changes[1].NewValue);
        Assert.Equal(("66:a4:6f:e0:c4:da dev vxlan.calico dst 10.0.3.21 self permanent", "66:a4:6f:e0:c4:da dev vxlan.calico dst 10.0.3.20 self permanent"),
            (diff.Changes[3].OldValue, diff.Changes[3].NewValue));
    }

    [Fact]
    public void A_second_remote_for_a_MAC_is_deleted()
    {
        var kernel = VxlanInSync();
        kernel.Fdb.Add(Fdb(Node2Mac, "10.0.2.11"));
        var change = Assert.Single(Diff(kernel, VxlanPlan()).Changes);
        Assert.Equal((ChangeKind.Delete, "66:2d:bf:44:a6:8b dev vxlan.calico dst 10.0.2.11 self permanent"), (change.Kind, change.OldValue));
    }

    [Fact]
    public void Missing_entries_are_added()
    {
        var kernel = VxlanInSync();
        kernel.Neighbours.Clear();
        kernel.Fdb.Clear();
        Assert.Equal(
            ["Add Neighbour 192.168.2.0 dev vxlan.calico", "Add Neighbour 192.168.3.0 dev vxlan.calico",
             "Add FdbEntry 66:2d:bf:44:a6:8b dev vxlan.calico", "Add FdbEntry 66:a4:6f:e0:c4:da dev vxlan.calico"],
            Summary(Diff(kernel, VxlanPlan())));
    }
}
