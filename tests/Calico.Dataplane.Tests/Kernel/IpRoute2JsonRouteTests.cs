using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Net;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>`ip -N -details -json route show table all` as captured by Fixtures/capture.sh.</summary>
public class IpRoute2JsonRouteTests
{
    private static readonly IReadOnlyList<Route> Routes4 = IpRoute2Json.ParseRoutes(Fixture.Read("routes4.json"), AddressFamily.InterNetwork);
    private static readonly IReadOnlyList<Route> Routes6 = IpRoute2Json.ParseRoutes(Fixture.Read("routes6.json"), AddressFamily.InterNetworkV6);

    private static Route To(string destination, int table = RouteTable.Main) =>
        Routes4.Concat(Routes6).Single(r => r.Destination == IPPrefix.Parse(destination) && r.Table == table);

    [Fact]
    public void Calico_blackhole_for_a_local_block_has_type_protocol_80_and_no_device()
    {
        var route = To("192.168.1.0/26");
        Assert.Equal(RouteType.Blackhole, route.Type);
        Assert.Equal(RouteProtocol.Calico, route.Protocol);
        Assert.Null(route.Device);
        Assert.Null(route.Gateway);
        Assert.Equal(RouteScope.Universe, route.Scope);
    }

    [Fact]
    public void Ipv6_blackhole_drops_the_kernels_lo_device()
    {
        var route = To("2001:db8:1::/64");
        Assert.Equal(RouteType.Blackhole, route.Type);
        Assert.Null(route.Device);
        Assert.Equal(1024, route.Metric);
    }

    [Fact]
    public void Calico_onlink_route_has_gateway_device_onlink_protocol_and_mtu()
    {
        var route = To("192.168.2.0/26");
        Assert.Equal(RouteType.Unicast, route.Type);
        Assert.Equal(IPAddress.Parse("10.9.9.9"), route.Gateway);
        Assert.Equal("eth0", route.Device);
        Assert.True(route.OnLink);
        Assert.Equal(80, route.Protocol);
        Assert.Equal(1480, route.Mtu);
    }

    [Fact]
    public void Ipip_route_through_tunl0_is_read_from_the_vm_capture()
    {
        var routes = IpRoute2Json.ParseRoutes(Fixture.Read("ipip-routes4.json"), AddressFamily.InterNetwork);
        var route = routes.Single(r => r.Destination == IPPrefix.Parse("192.168.60.0/26"));
        Assert.Equal("tunl0", route.Device);
        Assert.True(route.OnLink);
        Assert.Equal(RouteProtocol.Calico, route.Protocol);
        Assert.Equal(1480, route.Mtu);
    }

    [Fact]
    public void Vxlan_tunnel_host_route_is_scope_link_and_its_length_is_implied()
    {
        var route = To("192.168.20.0/32");
        Assert.Equal("vxlan.calico", route.Device);
        Assert.Equal(RouteScope.Link, route.Scope);
        Assert.Equal(RouteProtocol.Boot, route.Protocol);
    }

    [Fact]
    public void Default_route_of_each_family_is_the_zero_prefix()
    {
        Assert.Equal(IPAddress.Parse("10.0.2.1"), To("0.0.0.0/0").Gateway);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), To("::/0").Gateway);
    }

    [Fact]
    public void Unreachable_static_kernel_and_source_routes_are_typed()
    {
        Assert.Equal(RouteType.Unreachable, To("10.8.0.0/16").Type);
        Assert.Equal(RouteProtocol.Static, To("192.168.3.0/26").Protocol);
        var connected = To("10.0.2.0/24");
        Assert.Equal(RouteProtocol.Kernel, connected.Protocol);
        Assert.Equal(IPAddress.Parse("10.0.2.15"), connected.PreferredSource);
        Assert.Equal(IPAddress.Parse("10.0.2.15"), To("10.5.0.0/16").PreferredSource);
    }

    [Fact]
    public void Other_tables_and_metrics_are_read()
    {
        var route = To("10.6.0.0/16", table: 100);
        Assert.Equal(100, route.Metric);
        Assert.Contains(Routes4, r => r.Table == RouteTable.Local && r.Type == RouteType.Local);
    }

    [Fact]
    public void Multipath_route_lists_its_next_hops()
    {
        var route = To("10.7.0.0/16");
        Assert.Null(route.Gateway);
        Assert.Equal([(IPAddress.Parse("10.0.2.1"), 1), (IPAddress.Parse("10.0.2.2"), 2)], route.NextHops.Select(h => (h.Gateway!, h.Weight)));
    }

    [Fact]
    public void Gateway_of_the_other_family_comes_from_via()
    {
        Assert.Equal(IPAddress.Parse("fe80::1"), To("10.3.0.0/16").Gateway);
    }

    [Fact]
    public void Locked_mtu_is_read()
    {
        Assert.Equal(1400, To("10.4.0.0/16").Mtu);
        Assert.Equal(1400, Assert.Single(IpRoute2Json.ParseRoutes(
            """[{"dst":"10.4.0.0/16","metrics":[{"mtu":["lock",1400]}]}]""", AddressFamily.InterNetwork)).Mtu);
    }

    [Fact]
    public void Output_with_names_instead_of_numbers_reads_the_same()
    {
        var named = IpRoute2Json.ParseRoutes(Fixture.Read("routes4-names.json"), AddressFamily.InterNetwork);
        Assert.Equal(Routes4.Count, named.Count);
        for (var i = 0; i < named.Count; i++)
        {
            Assert.Equal(Routes4[i] with { NextHops = [], Flags = [] }, named[i] with { NextHops = [], Flags = [] });
        }
    }

    [Fact]
    public void Route_without_type_table_or_scope_defaults_as_iproute2_prints_main_unicast()
    {
        var route = Assert.Single(IpRoute2Json.ParseRoutes("""[{"dst":"10.1.0.0/16","dev":"eth0","protocol":"boot"}]""", AddressFamily.InterNetwork));
        Assert.Equal(RouteType.Unicast, route.Type);
        Assert.Equal(RouteTable.Main, route.Table);
        Assert.Equal(RouteProtocol.Boot, route.Protocol);
    }

    [Fact]
    public void A_destination_of_the_wrong_family_is_an_error_naming_it()
    {
        var e = Assert.Throws<FormatException>(() => IpRoute2Json.ParseRoutes("""[{"dst":"2001:db8::/64"}]""", AddressFamily.InterNetwork));
        Assert.Contains("[0].dst", e.Message);
        Assert.Contains("2001:db8::/64", e.Message);
    }

    [Fact]
    public void An_unknown_protocol_name_is_an_error_naming_it()
    {
        var e = Assert.Throws<FormatException>(() => IpRoute2Json.ParseRoutes("""[{"dst":"10.0.0.0/8","protocol":"nosuchproto"}]""", AddressFamily.InterNetwork));
        Assert.Contains("[0].protocol", e.Message);
        Assert.Contains("nosuchproto", e.Message);
    }

    [Fact]
    public void Route_get_gives_device_and_source_address()
    {
        var lookup = IpRoute2Json.ParseRouteLookup(Fixture.Read("route-get.json"), AddressFamily.InterNetwork);
        Assert.Equal(IPAddress.Parse("10.0.2.10"), lookup.Destination);
        Assert.Equal("eth0", lookup.Device);
        Assert.Equal(IPAddress.Parse("10.0.2.15"), lookup.PreferredSource);
    }
}
