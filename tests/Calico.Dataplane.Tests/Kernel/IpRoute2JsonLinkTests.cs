using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>`ip -details -json link show` as captured by Fixtures/capture.sh (ipip-* inside tests/IpipVm).</summary>
public class IpRoute2JsonLinkTests
{
    private static readonly IReadOnlyList<Link> Links = IpRoute2Json.ParseLinks(Fixture.Read("links.json"));

    private static Link Named(string name) => Links.Single(l => l.Name == name);

    [Fact]
    public void Links_come_in_kernel_order_with_their_indexes()
    {
        Assert.Equal(["lo", "eth1", "eth0", "br-x", "vxlan.calico", "cali123", "down1", "down0"], Links.Select(l => l.Name));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], Links.Select(l => l.Index));
    }

    [Fact]
    public void Loopback_has_no_kind_and_is_up()
    {
        var lo = Named("lo");
        Assert.Null(lo.Kind);
        Assert.True(lo.IsUp);
        Assert.Equal(65536, lo.Mtu);
        Assert.Equal("loopback", lo.LinkType);
    }

    [Fact]
    public void Veth_names_its_peer_in_the_same_namespace_and_its_bridge()
    {
        var eth1 = Named("eth1");
        Assert.Equal("veth", eth1.Kind);
        Assert.Equal("eth0", eth1.LinkedName);
        Assert.Equal("br-x", eth1.Master);
        Assert.Null(eth1.LinkedNamespaceId);
        Assert.Null(Named("eth0").Master);
    }

    [Fact]
    public void Veth_with_its_peer_in_another_namespace_gives_the_peer_index_and_namespace_id()
    {
        var cali = Named("cali123");
        Assert.Null(cali.LinkedName);
        Assert.Equal(2, cali.LinkedIndex);
        Assert.Equal(0, cali.LinkedNamespaceId);
        Assert.True(cali.IsUp);
        Assert.Equal("DOWN", cali.OperationalState);
    }

    [Fact]
    public void A_down_link_is_not_up_and_keeps_its_mtu()
    {
        var down = Named("down0");
        Assert.False(down.IsUp);
        Assert.Equal(9000, down.Mtu);
        Assert.Contains("M-DOWN", down.Flags);
    }

    [Fact]
    public void Bridge_is_read_as_a_bridge()
    {
        var bridge = Named("br-x");
        Assert.Equal("bridge", bridge.Kind);
        Assert.Null(bridge.Vxlan);
        Assert.Null(bridge.IpTunnel);
    }

    [Fact]
    public void Vxlan_device_gives_vni_port_local_device_learning_mtu_and_mac()
    {
        var vxlan = Named("vxlan.calico");
        Assert.Equal("vxlan", vxlan.Kind);
        Assert.Equal(1450, vxlan.Mtu);
        Assert.Equal("66:11:22:33:44:55", vxlan.Address);
        Assert.NotNull(vxlan.Vxlan);
        Assert.Equal(4096, vxlan.Vxlan.Vni);
        Assert.Equal(4789, vxlan.Vxlan.Port);
        Assert.Equal(IPAddress.Parse("10.0.2.15"), vxlan.Vxlan.Local);
        Assert.Equal("eth0", vxlan.Vxlan.Device);
        Assert.False(vxlan.Vxlan.Learning);
        Assert.Null(vxlan.Vxlan.Remote);
    }

    [Fact]
    public void Fallback_tunl0_has_no_endpoints_and_its_configured_mtu()
    {
        var links = IpRoute2Json.ParseLinks(Fixture.Read("ipip-links.json"));
        var tunl0 = links.Single(l => l.Name == "tunl0");
        Assert.Equal("ipip", tunl0.Kind);
        Assert.Equal("ipip", tunl0.LinkType);
        Assert.Equal(1480, tunl0.Mtu);
        Assert.True(tunl0.IsUp);
        Assert.Null(tunl0.LinkedName); // printed as "link": null
        Assert.NotNull(tunl0.IpTunnel);
        Assert.Null(tunl0.IpTunnel.Local);
        Assert.Null(tunl0.IpTunnel.Remote);
        Assert.Equal(0, tunl0.IpTunnel.Ttl);
        Assert.False(tunl0.IpTunnel.PathMtuDiscovery);
    }

    [Fact]
    public void Point_to_point_ipip_tunnel_gives_its_endpoints_device_and_ttl()
    {
        var t1 = IpRoute2Json.ParseLinks(Fixture.Read("ipip-links.json")).Single(l => l.Name == "t1");
        Assert.Equal(IPAddress.Parse("10.0.2.15"), t1.IpTunnel!.Local);
        Assert.Equal(IPAddress.Parse("10.0.2.99"), t1.IpTunnel.Remote);
        Assert.Equal("eth0", t1.IpTunnel.Device);
        Assert.Equal(64, t1.IpTunnel.Ttl);
        Assert.True(t1.IpTunnel.PathMtuDiscovery);
        Assert.False(t1.IsUp);
    }

    [Fact]
    public void A_link_without_a_name_is_an_error_naming_its_place()
    {
        var e = Assert.Throws<FormatException>(() => IpRoute2Json.ParseLinks("""[{"ifindex":1,"ifname":"lo"},{"ifindex":2}]"""));
        Assert.Contains("[1].ifname", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void A_vxlan_vni_that_is_not_a_number_is_an_error_naming_field_and_value()
    {
        var e = Assert.Throws<FormatException>(() => IpRoute2Json.ParseLinks(
            """[{"ifindex":4,"ifname":"v","linkinfo":{"info_kind":"vxlan","info_data":{"id":"x4"}}}]"""));
        Assert.Contains("[0].linkinfo.info_data.id", e.Message);
        Assert.Contains("\"x4\"", e.Message);
    }

    [Fact]
    public void Unknown_fields_and_kinds_are_ignored()
    {
        var link = Assert.Single(IpRoute2Json.ParseLinks(
            """[{"ifindex":9,"ifname":"wg0","future":{"x":1},"linkinfo":{"info_kind":"wireguard","info_data":{"anything":true}}}]"""));
        Assert.Equal("wireguard", link.Kind);
        Assert.Equal(0, link.Mtu);
    }
}
