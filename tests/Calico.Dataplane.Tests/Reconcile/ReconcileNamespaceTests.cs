using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Tests.Support;
using Calico.Resources;
using Calico.Tests.Routing;
using static Calico.Dataplane.Tests.Reconcile.SeedKernel;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>Route plans of the seed's 3-node cluster synced into a real namespace (node1), read back, and re-synced.</summary>
public class ReconcileNamespaceTests
{
    private static string[] CalicoRoutes(IKernelReader kernel) =>
        kernel.GetRoutes(AddressFamily.InterNetwork)
            .Where(r => r.Table == RouteTable.Main && (r.Protocol == RouteProtocol.Calico || r.Device == "vxlan.calico"))
            .Select(r => $"{(r.Type == RouteType.Blackhole ? "blackhole " : "")}{r.Destination}{(r.Gateway is null ? "" : $" via {r.Gateway}")}"
                + $"{(r.Device is null ? "" : $" dev {r.Device}")}{(r.OnLink ? " onlink" : "")} proto {r.Protocol}{(r.Mtu is { } m ? $" mtu {m}" : "")}")
            .Order(StringComparer.Ordinal).ToArray();

    [NamespaceFact]
    public void The_seed_VXLAN_plan_goes_in_with_one_batch_reads_back_and_a_second_sync_changes_nothing()
    {
        using var node = new SeedNamespace();
        Assert.Equal(("eth0", 1500, false), (node.Facts.ParentInterface, node.Facts.HostMtu, node.Facts.HostMtuAssumed));
        var plan = node.VxlanPlan();

        var changes = node.Sync(plan);

        Assert.Equal(
            ["Add TunnelDevice vxlan.calico", "Add Address vxlan.calico", "Add Route 192.168.1.0/26", "Add Route 192.168.2.0/26",
             "Add Route 192.168.3.0/26", "Add Neighbour 192.168.2.0 dev vxlan.calico", "Add Neighbour 192.168.3.0 dev vxlan.calico",
             "Add FdbEntry 66:2d:bf:44:a6:8b dev vxlan.calico", "Add FdbEntry 66:a4:6f:e0:c4:da dev vxlan.calico", "Change Sysctl net.ipv4.ip_forward"],
            changes.Select(c => $"{c.Kind} {c.Object} {c.Target}"));
        Assert.Single(node.Kernel.Batches);
        Assert.Empty(node.Kernel.Scripts);

        var vxlan = node.Kernel.GetLinks().Single(l => l.Name == "vxlan.calico");
        Assert.Equal(("vxlan", 1450, true, Node1Mac), (vxlan.Kind, vxlan.Mtu, vxlan.IsUp, vxlan.Address));
        Assert.Equal((4096, IPAddress.Parse("10.0.2.15"), "eth0", 4789, false),
            (vxlan.Vxlan!.Vni, vxlan.Vxlan.Local, vxlan.Vxlan.Device, vxlan.Vxlan.Port, vxlan.Vxlan.Learning));
        Assert.Equal(["192.168.1.0/32"], node.Kernel.GetAddresses().Where(a => a.LinkName == "vxlan.calico" && a.Prefix.Family == 4).Select(a => a.Prefix.ToString()));
        Assert.Equal(
            ["192.168.2.0/26 via 192.168.2.0 dev vxlan.calico onlink proto 3 mtu 1450",
             "192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto 3 mtu 1450",
             "blackhole 192.168.1.0/26 proto 80"],
            CalicoRoutes(node.Kernel));
        Assert.Equal(
            [("192.168.2.0", Node2Mac), ("192.168.3.0", Node3Mac)],
            node.Kernel.GetNeighbours().Where(n => n.Device == "vxlan.calico" && n.State == NeighbourState.Permanent)
                .Select(n => (n.Address.ToString(), n.LinkLayerAddress!)).Order());
        Assert.Equal(
            [(Node2Mac, "10.0.2.10"), (Node3Mac, "10.0.3.20")],
            node.Kernel.GetFdbEntries().Where(f => f.Device == "vxlan.calico").Select(f => (f.MacAddress, f.Destination!.ToString())).Order());
        Assert.Equal("1", node.Kernel.GetSysctls([SysctlDiff.IPv4Forwarding])[SysctlDiff.IPv4Forwarding]);

        Assert.Empty(node.Diff(plan).Changes);
        Assert.True(node.Reconciler.Drift(plan, node.Facts).InSync);
    }

    [NamespaceFact]
    public void A_foreign_route_nft_table_and_neighbour_added_by_hand_survive_two_syncs()
    {
        using var node = new SeedNamespace();
        var plan = node.VxlanPlan(nat: true);
        node.Sync(plan);
        node.Ip("route", "add", "10.9.0.0/16", "via", "10.0.2.1", "dev", "eth0");
        node.Ip("route", "add", "192.168.77.0/24", "dev", "eth0", "proto", "static");
        node.Ip("neigh", "add", "10.0.2.1", "lladdr", "52:54:00:00:00:01", "dev", "eth0", "nud", "permanent");
        node.Kernel.ApplyNftables("table inet foreign {\n\tchain c {\n\t\ttype filter hook forward priority 0; policy accept;\n\t}\n}\n");
        var foreignTable = node.Kernel.GetNftablesTable(new NftablesTable("inet", "foreign"));

        Assert.Empty(node.Sync(plan));
        Assert.Empty(node.Sync(plan));

        var routes = node.Kernel.GetRoutes(AddressFamily.InterNetwork);
        Assert.Contains(routes, r => r.Destination == P("10.9.0.0/16") && Equals(r.Gateway, A("10.0.2.1")));
        Assert.Contains(routes, r => r.Destination == P("192.168.77.0/24") && r.Protocol == RouteProtocol.Static);
        Assert.Contains(node.Kernel.GetNeighbours(), n => n.Address.Equals(A("10.0.2.1")) && n.LinkLayerAddress == "52:54:00:00:00:01");
        Assert.Equal(foreignTable, node.Kernel.GetNftablesTable(new NftablesTable("inet", "foreign")));
        Assert.NotNull(node.Kernel.GetNftablesTable(new NftablesTable("ip", "calico")));
    }

    [NamespaceFact]
    public void Switching_from_VXLAN_Always_to_CrossSubnet_changes_exactly_the_same_subnet_route()
    {
        using var node = new SeedNamespace();
        node.Sync(node.VxlanPlan(VXLANMode.Always));
        var crossSubnet = node.VxlanPlan(VXLANMode.CrossSubnet);

        var change = Assert.Single(node.Sync(crossSubnet));

        Assert.Equal((ChangeKind.Change, "192.168.2.0/26"), (change.Kind, change.Target));
        Assert.Equal("192.168.2.0/26 via 192.168.2.0 dev vxlan.calico onlink proto boot mtu 1450", change.OldValue);
        Assert.Equal("192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80", change.NewValue);
        Assert.Contains("192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80", CalicoRoutes(node.Kernel));
        Assert.Empty(node.Diff(crossSubnet).Changes);
    }

    [NamespaceFact]
    public void Removing_a_node_removes_its_route_neighbour_and_fdb_entry()
    {
        using var node = new SeedNamespace();
        node.Sync(node.VxlanPlan());
        var withoutNode3 = node.VxlanPlan(nodes: SeedLab.Nodes().Where(n => n.Name != "node3"));

        var changes = node.Sync(withoutNode3);

        Assert.Equal(
            ["Delete Route 192.168.3.0/26", "Delete Neighbour 192.168.3.0 dev vxlan.calico", $"Delete FdbEntry {Node3Mac} dev vxlan.calico"],
            changes.Select(c => $"{c.Kind} {c.Object} {c.Target}"));
        Assert.DoesNotContain(CalicoRoutes(node.Kernel), r => r.StartsWith("192.168.3.0/26"));
        Assert.DoesNotContain(node.Kernel.GetFdbEntries(), f => f.MacAddress == Node3Mac);
        Assert.Empty(node.Diff(withoutNode3).Changes);
    }

    [NamespaceFact]
    public void The_NAT_table_is_replaced_whole_in_one_nft_transaction_when_the_pools_change()
    {
        using var node = new SeedNamespace();
        node.Sync(node.VxlanPlan(nat: true));
        var scripts = node.Kernel.Scripts.Count;
        var twoPools = node.Plan(
        [
            SeedLab.Pool("default-ipv4-ippool", SeedLab.PoolCidr, vxlan: VXLANMode.Always, nat: true),
            SeedLab.Pool("second", "10.244.0.0/16", vxlan: VXLANMode.Always, nat: true),
        ]);

        var change = Assert.Single(node.Sync(twoPools));

        Assert.Equal((ChangeKind.Change, DataplaneObject.NftablesTable, "ip calico"), (change.Kind, change.Object, change.Target));
        var script = Assert.Single(node.Kernel.Scripts.Skip(scripts));
        Assert.StartsWith("table ip calico {}\ndelete table ip calico\ntable ip calico {\n", script);
        var listing = node.Kernel.GetNftablesTable(new NftablesTable("ip", "calico"))!;
        Assert.Contains("elements = { 10.244.0.0/16, 192.168.0.0/16 }", listing.Replace("\n", " ").Replace("\t", " ").Replace("  ", " "));
        Assert.Empty(node.Diff(twoPools).Changes);

        // natOutgoing off: the table goes.
        var noNat = node.Plan([SeedLab.Pool("default-ipv4-ippool", SeedLab.PoolCidr, vxlan: VXLANMode.Always)]);
        Assert.Equal([(ChangeKind.Delete, DataplaneObject.NftablesTable)], node.Sync(noNat).Select(c => (c.Kind, c.Object)));
        Assert.Null(node.Kernel.GetNftablesTable(new NftablesTable("ip", "calico")));
    }

    [NamespaceFact]
    public void A_stale_proto_80_route_and_a_recreated_vxlan_device_are_put_right_in_a_real_kernel()
    {
        using var node = new SeedNamespace();
        var plan = node.VxlanPlan();
        node.Sync(plan);
        node.Ip("route", "add", "192.168.4.0/26", "via", "10.0.2.20", "dev", "eth0", "onlink", "proto", "80");
        node.Ip("link", "del", "vxlan.calico");
        node.Ip("link", "add", "vxlan.calico", "type", "vxlan", "id", "4097", "dstport", "4789", "dev", "eth0");

        var changes = node.Sync(plan);

        Assert.Contains(changes, c => c.Kind == ChangeKind.Delete && c.Target == "192.168.4.0/26");
        Assert.Contains(changes, c => c.Kind == ChangeKind.Change && c.Object == DataplaneObject.TunnelDevice);
        Assert.Empty(node.Diff(plan).Changes);
        Assert.Equal(4096, node.Kernel.GetLinks().Single(l => l.Name == "vxlan.calico").Vxlan!.Vni);
    }
}
