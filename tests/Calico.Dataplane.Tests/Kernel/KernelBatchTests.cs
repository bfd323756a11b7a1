using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Net;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>The batch lines each change renders to, and the arguments it refuses.</summary>
public class KernelBatchTests
{
    private static Route CalicoRoute(string destination) => new()
    {
        Destination = IPPrefix.Parse(destination),
        Gateway = IPAddress.Parse("10.0.2.10"),
        Device = "tunl0",
        OnLink = true,
        Protocol = RouteProtocol.Calico,
        Mtu = 1480,
    };

    [Fact]
    public void Ipip_route_renders_as_felix_programs_it()
    {
        var batch = new KernelBatch().ReplaceRoute(CalicoRoute("192.168.1.0/26"));
        Assert.Equal(["route replace 192.168.1.0/26 via 10.0.2.10 dev tunl0 onlink proto 80 table 254 mtu 1480"], batch.IpCommands);
    }

    [Fact]
    public void Blackhole_route_renders_its_type_and_protocol()
    {
        var batch = new KernelBatch().AddRoute(new Route { Destination = IPPrefix.Parse("192.168.0.0/26"), Type = RouteType.Blackhole, Protocol = 80 });
        Assert.Equal(["route add blackhole 192.168.0.0/26 proto 80 table 254"], batch.IpCommands);
    }

    [Fact]
    public void Scope_metric_source_and_table_are_rendered_when_set()
    {
        var batch = new KernelBatch().AddRoute(new Route
        {
            Destination = IPPrefix.Parse("192.168.20.0/32"), Device = "vxlan.calico", Scope = RouteScope.Link,
            Table = 100, Metric = 7, PreferredSource = IPAddress.Parse("10.0.2.15"),
        });
        Assert.Equal(["route add 192.168.20.0/32 dev vxlan.calico proto 3 scope 253 table 100 metric 7 src 10.0.2.15"], batch.IpCommands);
    }

    [Fact]
    public void Delete_names_type_protocol_and_table_but_not_attributes_the_kernel_does_not_match()
    {
        var batch = new KernelBatch()
            .DeleteRoute(CalicoRoute("192.168.1.0/26"))
            .DeleteRoute(new Route { Destination = IPPrefix.Parse("192.168.0.0/26"), Type = RouteType.Blackhole, Protocol = 80 });
        Assert.Equal(
        [
            "route del unicast 192.168.1.0/26 via 10.0.2.10 dev tunl0 proto 80 table 254",
            "route del blackhole 192.168.0.0/26 proto 80 table 254",
        ], batch.IpCommands);
    }

    [Fact]
    public void Gateway_of_the_other_family_is_marked()
    {
        var batch = new KernelBatch().AddRoute(new Route { Destination = IPPrefix.Parse("10.3.0.0/16"), Gateway = IPAddress.Parse("fe80::1"), Device = "eth0" });
        Assert.Equal(["route add 10.3.0.0/16 via inet6 fe80::1 dev eth0 proto 3 table 254"], batch.IpCommands);
    }

    [Fact]
    public void Routes_the_kernel_would_misread_are_refused_naming_the_route()
    {
        var blackholeWithDevice = new Route { Destination = IPPrefix.Parse("10.0.0.0/8"), Type = RouteType.Blackhole, Device = "eth0" };
        Assert.Contains("route 10.0.0.0/8", Assert.Throws<ArgumentException>(() => new KernelBatch().AddRoute(blackholeWithDevice)).Message);
        var hostBits = new Route { Destination = IPPrefix.Parse("10.0.0.1/8") };
        Assert.Contains("host bits", Assert.Throws<ArgumentException>(() => new KernelBatch().AddRoute(hostBits)).Message);
        var multipath = new Route { Destination = IPPrefix.Parse("10.0.0.0/8"), NextHops = [new RouteNextHop(IPAddress.Parse("10.0.2.1"), "eth0", 1, false)] };
        Assert.Contains("multipath", Assert.Throws<ArgumentException>(() => new KernelBatch().AddRoute(multipath)).Message);
    }

    [Fact]
    public void Veth_pair_with_its_peer_created_in_another_namespace()
    {
        var batch = new KernelBatch().AddVeth("cali123", "eth0", NetworkNamespace.Named("wl1"), mtu: 1480);
        Assert.Equal(["link add name cali123 mtu 1480 type veth peer name eth0 netns wl1"], batch.IpCommands);
    }

    [Fact]
    public void Vxlan_device_renders_calicos_settings()
    {
        var batch = new KernelBatch().AddVxlan("vxlan.calico", new VxlanSettings
        {
            Local = IPAddress.Parse("10.0.2.15"), Device = "eth0", Mtu = 1450, MacAddress = "66:0A:BB:CC:DD:EE",
        });
        Assert.Equal(["link add name vxlan.calico address 66:0a:bb:cc:dd:ee mtu 1450 type vxlan id 4096 local 10.0.2.15 dev eth0 dstport 4789 nolearning"], batch.IpCommands);
    }

    [Fact]
    public void Tunl0_is_configured_with_set_and_address_replace()
    {
        var batch = new KernelBatch()
            .SetLink("tunl0", new LinkSettings { Mtu = 1480, Up = true })
            .ReplaceAddress("tunl0", IPPrefix.Parse("192.168.50.1/32"));
        Assert.Equal(["link set dev tunl0 mtu 1480 up", "address replace 192.168.50.1/32 dev tunl0"], batch.IpCommands);
    }

    [Fact]
    public void Link_settings_master_nomaster_mac_and_move()
    {
        var batch = new KernelBatch()
            .SetLink("eth1", new LinkSettings { Master = "br-x", MacAddress = "02:00:00:00:00:01", Up = false })
            .SetLink("eth1", new LinkSettings { Master = "" })
            .MoveLink("eth1", NetworkNamespace.Named("wl1"))
            .DeleteLink("eth1");
        Assert.Equal(
        [
            "link set dev eth1 address 02:00:00:00:00:01 master br-x down",
            "link set dev eth1 nomaster",
            "link set dev eth1 netns wl1",
            "link del dev eth1",
        ], batch.IpCommands);
        Assert.Throws<ArgumentException>(() => new KernelBatch().MoveLink("eth1", NetworkNamespace.Current));
    }

    [Fact]
    public void Ipip_device_takes_ipv4_endpoints_only()
    {
        Assert.Equal(["link add name t1 type ipip local 10.0.2.15 remote 10.0.3.20 dev eth0"],
            new KernelBatch().AddIpip("t1", IPAddress.Parse("10.0.2.15"), IPAddress.Parse("10.0.3.20"), "eth0").IpCommands);
        Assert.Throws<ArgumentException>(() => new KernelBatch().AddIpip("t1", IPAddress.Parse("2001:db8::1")));
    }

    [Fact]
    public void Neighbours_and_fdb_entries_are_permanent_and_on_the_device_itself()
    {
        var batch = new KernelBatch()
            .ReplaceNeighbour("vxlan.calico", IPAddress.Parse("192.168.20.0"), "66:AA:BB:CC:DD:EE")
            .DeleteNeighbour("vxlan.calico", IPAddress.Parse("192.168.21.0"))
            .AppendFdbEntry("vxlan.calico", "66:aa:bb:cc:dd:ee", IPAddress.Parse("10.0.2.10"))
            .ReplaceFdbEntry("vxlan.calico", "66:aa:bb:cc:dd:ee", IPAddress.Parse("10.0.2.11"))
            .DeleteFdbEntry("vxlan.calico", "66:aa:bb:cc:dd:ee", IPAddress.Parse("10.0.2.11"));
        Assert.Equal(
        [
            "neigh replace 192.168.20.0 lladdr 66:aa:bb:cc:dd:ee dev vxlan.calico nud permanent",
            "neigh del 192.168.21.0 dev vxlan.calico",
        ], batch.IpCommands);
        Assert.Equal(
        [
            "fdb append 66:aa:bb:cc:dd:ee dev vxlan.calico dst 10.0.2.10 self permanent",
            "fdb replace 66:aa:bb:cc:dd:ee dev vxlan.calico dst 10.0.2.11 self permanent",
            "fdb del 66:aa:bb:cc:dd:ee dev vxlan.calico dst 10.0.2.11 self",
        ], batch.BridgeCommands);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sixteen-chars-xx")]
    [InlineData("eth 0")]
    [InlineData("eth0#x")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    public void Device_names_the_kernel_refuses_are_errors_naming_the_value(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new KernelBatch().DeleteLink(name));
        Assert.Contains($"\"{name}\"", e.Message);
    }

    [Theory]
    [InlineData("66:aa:bb:cc:dd")]
    [InlineData("66-aa-bb-cc-dd-ee")]
    [InlineData("66:aa:bb:cc:dd:eg")]
    public void Malformed_mac_addresses_are_errors_naming_the_value(string mac)
    {
        var e = Assert.Throws<ArgumentException>(() => new KernelBatch().ReplaceNeighbour("eth0", IPAddress.Parse("10.0.0.1"), mac));
        Assert.Contains(mac, e.Message);
    }

    [Fact]
    public void Sysctl_values_must_be_one_line()
    {
        var key = SysctlKey.Parse("net.ipv4.ip_forward");
        Assert.Single(new KernelBatch().SetSysctl(key, "32768\t60999").Sysctls);
        Assert.Throws<ArgumentException>(() => new KernelBatch().SetSysctl(key, "1\n0"));
    }

    [Fact]
    public void An_empty_batch_is_empty()
    {
        Assert.True(new KernelBatch().IsEmpty);
        Assert.False(new KernelBatch().SetSysctl(SysctlKey.Parse("net.ipv4.ip_forward"), "1").IsEmpty);
    }
}
