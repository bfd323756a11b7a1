using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Net;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>Batches applied to real network namespaces and read back through the same layer.</summary>
public class KernelNamespaceTests
{
    private const string VtepMac = "66:0a:bb:cc:dd:ee";

    private static Route R(string destination) => new() { Destination = IPPrefix.Parse(destination) };

    /// <summary>A VXLAN node as felix would leave it, built by one batch.</summary>
    private static KernelBatch VxlanNode() => new KernelBatch()
        .AddVeth("eth0", "peer0")
        .SetLink("eth0", new LinkSettings { Up = true })
        .SetLink("peer0", new LinkSettings { Up = true })
        .AddAddress("eth0", IPPrefix.Parse("10.0.2.15/24"))
        .AddVxlan("vxlan.calico", new VxlanSettings { Local = IPAddress.Parse("10.0.2.15"), Device = "eth0", Mtu = 1450, MacAddress = "66:11:22:33:44:55" })
        .SetLink("vxlan.calico", new LinkSettings { Up = true })
        .AddAddress("vxlan.calico", IPPrefix.Parse("192.168.10.0/32"))
        .AddRoute(R("192.168.10.0/26") with { Type = RouteType.Blackhole, Protocol = RouteProtocol.Calico })
        .AddRoute(R("192.168.20.0/26") with { Gateway = IPAddress.Parse("10.0.3.20"), Device = "eth0", OnLink = true, Protocol = RouteProtocol.Calico, Mtu = 1480 })
        .AddRoute(R("192.168.30.0/32") with { Device = "vxlan.calico", Scope = RouteScope.Link })
        .AddRoute(R("192.168.31.0/26") with { Gateway = IPAddress.Parse("192.168.30.0"), Device = "vxlan.calico", OnLink = true, Mtu = 1450 })
        .ReplaceNeighbour("vxlan.calico", IPAddress.Parse("192.168.30.0"), VtepMac)
        .AppendFdbEntry("vxlan.calico", VtepMac, IPAddress.Parse("10.0.2.10"))
        .SetSysctl(SysctlKey.ForInterface("net.ipv4.conf", "eth0", "proxy_arp"), "1")
        .SetSysctl(SysctlKey.ForInterface("net.ipv4.neigh", "vxlan.calico", "proxy_delay"), "0")
        .SetSysctl(SysctlKey.Parse("net.ipv4.ip_forward"), "1");

    [NamespaceFact]
    public void A_vxlan_node_built_by_one_batch_reads_back_object_by_object()
    {
        using var lab = Lab.Create("node");
        var kernel = lab.Kernel("node");
        kernel.Apply(VxlanNode());

        var vxlan = kernel.GetLinks().Single(l => l.Name == "vxlan.calico");
        Assert.True(vxlan.IsUp);
        Assert.Equal(1450, vxlan.Mtu);
        Assert.Equal("66:11:22:33:44:55", vxlan.Address);
        Assert.Equal(new VxlanLinkInfo { Vni = 4096, Port = 4789, Local = IPAddress.Parse("10.0.2.15"), Device = "eth0", Learning = false }, vxlan.Vxlan);

        var addresses = kernel.GetAddresses().Where(a => a.Prefix.Family == 4).Select(a => (a.LinkName, a.Prefix.ToString()));
        Assert.Equal([("lo", "127.0.0.1/8"), ("eth0", "10.0.2.15/24"), ("vxlan.calico", "192.168.10.0/32")], addresses.OrderBy(a => a.LinkName == "lo" ? 0 : 1));

        var routes = kernel.GetRoutes(AddressFamily.InterNetwork).Where(r => r.Table == RouteTable.Main && r.Protocol != RouteProtocol.Kernel).ToArray();
        Assert.Equal(
        [
            R("192.168.10.0/26") with { Type = RouteType.Blackhole, Protocol = 80, Scope = RouteScope.Universe },
            R("192.168.20.0/26") with { Gateway = IPAddress.Parse("10.0.3.20"), Device = "eth0", OnLink = true, Protocol = 80, Mtu = 1480, Scope = RouteScope.Universe },
            R("192.168.30.0/32") with { Device = "vxlan.calico", Scope = RouteScope.Link },
            R("192.168.31.0/26") with { Gateway = IPAddress.Parse("192.168.30.0"), Device = "vxlan.calico", OnLink = true, Mtu = 1450, Scope = RouteScope.Universe },
        ], routes.Select(r => r with { Flags = [] }));

        var vtep = kernel.GetNeighbours().Single(n => n.Device == "vxlan.calico" && n.Address.Equals(IPAddress.Parse("192.168.30.0")));
        Assert.Equal((VtepMac, NeighbourState.Permanent), (vtep.LinkLayerAddress, vtep.State));

        var fdb = kernel.GetFdbEntries().Single(f => f.Device == "vxlan.calico" && f.MacAddress == VtepMac);
        Assert.True(fdb.IsSelf && fdb.IsPermanent);
        Assert.Equal(IPAddress.Parse("10.0.2.10"), fdb.Destination);

        var sysctls = kernel.GetSysctls(VxlanNode().Sysctls.Select(s => s.Key));
        Assert.Equal(["1", "0", "1"], VxlanNode().Sysctls.Select(s => sysctls[s.Key]));
    }

    [NamespaceFact]
    public void Sysctls_are_the_namespaces_own()
    {
        using var lab = Lab.Create("a", "b");
        var forward = SysctlKey.Parse("net.ipv4.ip_forward");
        lab.Kernel("a").Apply(new KernelBatch().SetSysctl(forward, "1"));
        Assert.Equal("1", lab.Kernel("a").GetSysctls([forward])[forward]);
        Assert.Equal("0", lab.Kernel("b").GetSysctls([forward])[forward]);
    }

    [NamespaceFact]
    public void Veth_peers_are_created_in_or_moved_into_another_namespace()
    {
        using var lab = Lab.Create("host", "wl");
        var host = lab.Kernel("host");
        host.Apply(new KernelBatch()
            .AddVeth("cali1", "eth0", lab["wl"])
            .AddVeth("cali2", "tmp")
            .MoveLink("tmp", lab["wl"]));

        Assert.Equal(["eth0", "lo", "tmp"], lab.Kernel("wl").GetLinks().Select(l => l.Name).Order());
        var cali1 = host.GetLinks().Single(l => l.Name == "cali1");
        Assert.Equal("veth", cali1.Kind);
        Assert.NotNull(cali1.LinkedNamespaceId);
        Assert.DoesNotContain(host.GetLinks(), l => l.Name == "tmp");
    }

    [NamespaceFact]
    public void Routes_are_replaced_and_deleted_only_when_type_and_protocol_match()
    {
        using var lab = Lab.Create("node");
        lab.Veth("node", "eth0", "node", "peer0");
        lab.Address("node", "eth0", "10.0.2.15/24");
        var kernel = lab.Kernel("node");
        var calico = R("192.168.1.0/26") with { Gateway = IPAddress.Parse("10.0.2.10"), Device = "eth0", Protocol = RouteProtocol.Calico };
        var foreign = R("192.168.2.0/26") with { Type = RouteType.Blackhole, Protocol = RouteProtocol.Static };
        kernel.Apply(new KernelBatch().AddRoute(calico).AddRoute(foreign));

        kernel.Apply(new KernelBatch().ReplaceRoute(calico with { Gateway = IPAddress.Parse("10.0.2.11") }));
        Assert.Equal(IPAddress.Parse("10.0.2.11"), Find(kernel, "192.168.1.0/26")!.Gateway);

        // Felix deletes only what it owns: a delete that names protocol 80 leaves the static route alone.
        var e = Assert.Throws<KernelCommandException>(() => kernel.Apply(new KernelBatch().DeleteRoute(foreign with { Protocol = RouteProtocol.Calico })));
        Assert.Contains("No such process", e.Message);
        Assert.NotNull(Find(kernel, "192.168.2.0/26"));

        kernel.Apply(new KernelBatch().DeleteRoute(calico with { Gateway = null }).DeleteRoute(foreign));
        Assert.Null(Find(kernel, "192.168.1.0/26"));
        Assert.Null(Find(kernel, "192.168.2.0/26"));
    }

    [NamespaceFact]
    public void Ipv6_routes_and_addresses_read_back()
    {
        using var lab = Lab.Create("node");
        lab.Veth("node", "eth0", "node", "peer0");
        var kernel = lab.Kernel("node");
        kernel.Apply(new KernelBatch()
            .AddAddress("eth0", IPPrefix.Parse("2001:db8::15/64"))
            .AddRoute(R("fd00:10::/122") with { Type = RouteType.Blackhole, Protocol = RouteProtocol.Calico })
            .AddRoute(R("fd00:20::/122") with { Gateway = IPAddress.Parse("2001:db8::20"), Device = "eth0", Protocol = RouteProtocol.Calico }));

        var routes = kernel.GetRoutes(AddressFamily.InterNetworkV6);
        Assert.Equal(RouteType.Blackhole, routes.Single(r => r.Destination == IPPrefix.Parse("fd00:10::/122")).Type);
        Assert.Equal(IPAddress.Parse("2001:db8::20"), routes.Single(r => r.Destination == IPPrefix.Parse("fd00:20::/122")).Gateway);
        Assert.Contains(kernel.GetAddresses(), a => a.Prefix == IPPrefix.Parse("2001:db8::15/64") && a.LinkName == "eth0");
    }

    [NamespaceFact]
    public void A_failing_batch_names_its_line_and_keeps_the_lines_before_it()
    {
        using var lab = Lab.Create("node");
        lab.Veth("node", "eth0", "node", "peer0");
        var kernel = lab.Kernel("node");
        var batch = new KernelBatch()
            .AddAddress("eth0", IPPrefix.Parse("10.0.2.15/24"))
            .AddRoute(R("192.168.1.0/26") with { Device = "nosuch0" })
            .AddAddress("eth0", IPPrefix.Parse("10.0.2.16/24"));

        var e = Assert.Throws<KernelCommandException>(() => kernel.Apply(batch));
        Assert.Equal(2, e.FailedLine);
        Assert.Equal("route add 192.168.1.0/26 dev nosuch0 proto 3 table 254", e.FailedLineText);
        Assert.Contains("Cannot find device \"nosuch0\"", e.Message);
        Assert.Contains($"ip -n {lab.Prefix}node -batch -", e.Message);
        var addresses = kernel.GetAddresses().Select(a => a.Prefix.ToString()).ToArray();
        Assert.Contains("10.0.2.15/24", addresses);
        Assert.DoesNotContain("10.0.2.16/24", addresses);
    }

    [NamespaceFact]
    public void A_failing_fdb_batch_names_its_line()
    {
        using var lab = Lab.Create("node");
        var e = Assert.Throws<KernelCommandException>(() => lab.Kernel("node").Apply(
            new KernelBatch().AppendFdbEntry("nosuch0", VtepMac, IPAddress.Parse("10.0.2.10"))));
        Assert.Equal(1, e.FailedLine);
        Assert.StartsWith($"'bridge -n {lab.Prefix}node -batch -' failed", e.Message);
    }

    [NamespaceFact]
    public void A_failing_sysctl_write_names_the_key_and_stops_there()
    {
        using var lab = Lab.Create("node");
        var kernel = lab.Kernel("node");
        var forward = SysctlKey.Parse("net.ipv4.ip_forward");
        var e = Assert.Throws<KernelCommandException>(() => kernel.Apply(new KernelBatch()
            .SetSysctl(SysctlKey.ForInterface("net.ipv4.conf", "nosuch0", "proxy_arp"), "1")
            .SetSysctl(forward, "1")));
        Assert.Equal(1, e.FailedLine);
        Assert.Contains("net.ipv4.conf.nosuch0.proxy_arp = 1", e.Message);
        Assert.Equal("0", kernel.GetSysctls([forward])[forward]);
    }

    [NamespaceFact]
    public void Route_lookup_gives_the_source_address_or_the_kernels_reason()
    {
        using var lab = Lab.Create("node");
        lab.Veth("node", "eth0", "node", "peer0");
        lab.Address("node", "eth0", "10.0.2.15/24", "10.0.2.16/24");
        var kernel = lab.Kernel("node");
        var lookup = kernel.LookupRoute(IPAddress.Parse("10.0.2.10"));
        Assert.Equal((IPAddress.Parse("10.0.2.15"), "eth0"), (lookup.PreferredSource, lookup.Device));
        var e = Assert.Throws<KernelCommandException>(() => kernel.LookupRoute(IPAddress.Parse("203.0.113.1")));
        Assert.Contains("Network is unreachable", e.Message);
    }

    [NamespaceFact]
    public void An_empty_namespace_reads_as_loopback_only()
    {
        using var lab = Lab.Create("empty");
        var kernel = lab.Kernel("empty");
        Assert.Equal(["lo"], kernel.GetLinks().Select(l => l.Name));
        Assert.Empty(kernel.GetNeighbours());
        Assert.Empty(kernel.GetFdbEntries());
        Assert.DoesNotContain(kernel.GetRoutes(AddressFamily.InterNetwork), r => r.Table == RouteTable.Main);
    }

    private static Route? Find(IKernelReader kernel, string destination) =>
        kernel.GetRoutes(AddressFamily.InterNetwork).SingleOrDefault(r => r.Destination == IPPrefix.Parse(destination) && r.Table == RouteTable.Main);
}
