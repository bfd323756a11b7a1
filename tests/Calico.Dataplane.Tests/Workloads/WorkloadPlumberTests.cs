using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Dataplane.Workloads;
using Calico.Net;

namespace Calico.Dataplane.Tests.Workloads;

/// <summary>Workloads plumbed into real namespaces as Calico's CNI plugin plumbs pods, and reached through their veths.</summary>
public class WorkloadPlumberTests
{
    [Fact]
    public void The_host_end_is_named_from_SHA1_of_the_workload_id_as_Calico_names_it()
    {
        // sha1("default.nginx") = 7a4d8bdd0f3... (computed independently with sha1sum).
        Assert.Equal("cali" + Sha1Hex("default.nginx")[..11], WorkloadPlumber.HostInterfaceFor("default.nginx"));
        Assert.Equal(15, WorkloadPlumber.HostInterfaceFor("kube-system.coredns-5d78c9869d-abcde").Length);
        Assert.StartsWith("tap", WorkloadPlumber.HostInterfaceFor("x", "tap"));
    }

    private static string Sha1Hex(string text) =>
        ProcessCommandRunner.Instance.Run("sh", ["-c", "printf %s \"$1\" | sha1sum", "sh", text]).StandardOutput[..40];

    /// <summary>A host namespace with eth0 10.0.2.15/24 and a default route (proxy ARP answers only for what the host can route elsewhere), and two workload namespaces.</summary>
    private static Lab HostWithTwoWorkloadNamespaces()
    {
        var lab = Lab.Create("host", "wl1", "wl2");
        try
        {
            lab.Veth("host", "eth0", "host", "peer0");
            lab.Address("host", "eth0", "10.0.2.15/24");
            lab.Ip("host", "route", "add", "default", "via", "10.0.2.1", "dev", "eth0");
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    [NamespaceFact]
    public void Two_workloads_on_one_host_ping_each_other_through_their_cali_veths_and_leave_nothing_when_removed()
    {
        using var lab = HostWithTwoWorkloadNamespaces();
        var host = lab.Kernel("host");
        var plumber = new WorkloadPlumber(host);

        var one = plumber.Add("default.wl1", lab["wl1"], IPAddress.Parse("192.168.1.2"), mtu: 1450);
        var two = plumber.Add("default.wl2", lab["wl2"], IPAddress.Parse("192.168.1.3"), mtu: 1450);

        // Host side: the veth up with Calico's MAC, proxy ARP at once, forwarding, and a /32 link route (proto boot).
        var hostEnd = host.GetLinks().Single(l => l.Name == one.HostInterface);
        Assert.Equal(("veth", true, WorkloadPlumber.HostSideMac, 1450), (hostEnd.Kind, hostEnd.IsUp, hostEnd.Address, hostEnd.Mtu));
        var keys = new[] { "net.ipv4.conf.{0}.proxy_arp", "net.ipv4.neigh.{0}.proxy_delay", "net.ipv4.conf.{0}.forwarding", "net.ipv4.conf.{0}.route_localnet" }
            .Select(k => SysctlKey.Parse(string.Format(k, one.HostInterface))).ToArray();
        Assert.Equal(["1", "0", "1", "1"], keys.Select(k => host.GetSysctls(keys)[k]));
        var route = host.GetRoutes(AddressFamily.InterNetwork).Single(r => r.Destination == IPPrefix.Parse("192.168.1.2/32"));
        Assert.Equal((one.HostInterface, RouteScope.Link, RouteProtocol.Boot, (IPAddress?)null), (route.Device, route.Scope, route.Protocol, route.Gateway));

        // Workload side: eth0 with the /32, a link route to 169.254.1.1 and the default route through it.
        var inside = lab.Kernel("wl1");
        Assert.Equal(["192.168.1.2/32"], inside.GetAddresses().Where(a => a.LinkName == "eth0" && a.Prefix.Family == 4).Select(a => a.Prefix.ToString()));
        var routes = inside.GetRoutes(AddressFamily.InterNetwork).Where(r => r.Table == RouteTable.Main).ToList();
        Assert.Contains(routes, r => r.Destination == IPPrefix.Parse("169.254.1.1/32") && r.Device == "eth0" && r.Scope == RouteScope.Link);
        Assert.Contains(routes, r => r.Destination == IPPrefix.Parse("0.0.0.0/0") && Equals(r.Gateway, WorkloadPlumber.Gateway) && r.Device == "eth0");
        Assert.Equal(inside.GetLinks().Single(l => l.Name == "eth0").Address, one.Mac);

        // Packets: wl1 → 169.254.1.1 (the host end's proxy ARP) → the /32 route → wl2, and back.
        lab.Exec("wl1", "ping", "-c", "2", "-W", "2", "192.168.1.3");
        var neighbour = inside.GetNeighbours().Single(n => n.Address.Equals(WorkloadPlumber.Gateway));
        Assert.Equal(WorkloadPlumber.HostSideMac, neighbour.LinkLayerAddress);

        Assert.True(plumber.Remove("default.wl1"));
        Assert.DoesNotContain(host.GetLinks(), l => l.Name == one.HostInterface);
        Assert.DoesNotContain(host.GetRoutes(AddressFamily.InterNetwork), r => r.Destination == IPPrefix.Parse("192.168.1.2/32"));
        Assert.DoesNotContain(inside.GetLinks(), l => l.Name == "eth0");
        Assert.False(plumber.Remove("default.wl1"));
        var failed = ProcessCommandRunner.Instance.Run("ip", ["netns", "exec", lab.Prefix + "wl2", "ping", "-c", "1", "-W", "1", "192.168.1.2"]);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Equal("default.wl2", two.WorkloadId);
    }

    [NamespaceFact]
    public void A_workload_namespace_that_already_has_eth0_is_refused_and_nothing_is_left_on_the_host()
    {
        using var lab = HostWithTwoWorkloadNamespaces();
        lab.Veth("wl1", "eth0", "wl1", "other");
        var host = lab.Kernel("host");
        var linksBefore = host.GetLinks().Select(l => l.Name).ToArray();

        var error = Assert.Throws<InvalidOperationException>(() => new WorkloadPlumber(host).Add("default.wl1", lab["wl1"], IPAddress.Parse("192.168.1.2")));

        Assert.Contains("already has an eth0", error.Message);
        Assert.Equal(linksBefore, host.GetLinks().Select(l => l.Name));
    }

    [NamespaceFact]
    public void Adding_a_workload_again_replaces_its_old_host_end()
    {
        using var lab = HostWithTwoWorkloadNamespaces();
        var plumber = new WorkloadPlumber(lab.Kernel("host"));
        var first = plumber.Add("default.wl1", lab["wl1"], IPAddress.Parse("192.168.1.2"));
        // The workload's namespace went away without a CNI DEL: the old host end lingers until the id is plumbed again.
        lab.Ip("wl1", "link", "del", "eth0");
        lab.Veth("host", first.HostInterface, "host", "stale-peer");

        var again = plumber.Add("default.wl1", lab["wl2"], IPAddress.Parse("192.168.1.9"));

        Assert.Equal(first.HostInterface, again.HostInterface);
        Assert.Equal("veth", lab.Kernel("host").GetLinks().Single(l => l.Name == again.HostInterface).Kind);
        Assert.DoesNotContain(lab.Kernel("host").GetLinks(), l => l.Name == "stale-peer");
        // The new workload reaches the host's own address through the new host end, and the reply comes back.
        lab.Exec("wl2", "ping", "-c", "1", "-W", "2", "10.0.2.15");
    }
}
