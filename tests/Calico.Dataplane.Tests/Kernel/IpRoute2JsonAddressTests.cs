using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Net;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>`ip -json address show` as captured by Fixtures/capture.sh.</summary>
public class IpRoute2JsonAddressTests
{
    private static readonly IReadOnlyList<InterfaceAddress> Addresses = IpRoute2Json.ParseAddresses(Fixture.Read("addresses.json"));

    private static InterfaceAddress At(string address) => Addresses.Single(a => a.Prefix.Address.Equals(IPAddress.Parse(address)));

    [Fact]
    public void Addresses_keep_host_bits_and_prefix_length()
    {
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), At("10.0.2.15").Prefix);
        Assert.Equal("eth0", At("10.0.2.15").LinkName);
        Assert.Equal(3, At("10.0.2.15").LinkIndex);
    }

    [Fact]
    public void Addresses_come_link_by_link_in_kernel_order_ipv4_before_ipv6()
    {
        var eth0 = Addresses.Where(a => a.LinkName == "eth0").Select(a => a.Prefix.ToString()).ToArray();
        Assert.Equal(["10.0.2.15/24", "10.9.0.1/32", "10.0.2.16/24", "2001:db8::15/64"], eth0[..4]);
        Assert.Equal(["lo", "lo", "eth1"], Addresses.Take(3).Select(a => a.LinkName));
    }

    [Fact]
    public void Scopes_are_numbers()
    {
        Assert.Equal(RouteScope.Host, At("127.0.0.1").Scope);
        Assert.Equal(RouteScope.Universe, At("10.0.2.15").Scope);
        Assert.Equal(RouteScope.Link, Addresses.First(a => a.LinkName == "eth1").Scope);
    }

    [Fact]
    public void Secondary_nodad_tentative_and_permanent_flags_are_read()
    {
        Assert.Equal(AddressFlags.Permanent, At("10.0.2.15").Flags);
        Assert.Equal(AddressFlags.Secondary | AddressFlags.Permanent, At("10.0.2.16").Flags);
        Assert.Equal(AddressFlags.NoDad | AddressFlags.Permanent, At("2001:db8::15").Flags);
        Assert.True(Addresses.First(a => a.LinkName == "eth1").Flags.HasFlag(AddressFlags.Tentative));
    }

    [Fact]
    public void A_point_to_point_address_gives_its_peer()
    {
        Assert.Equal(IPAddress.Parse("10.9.0.2"), At("10.9.0.1").Peer);
        Assert.Null(At("10.0.2.15").Peer);
    }

    [Fact]
    public void A_dynamic_address_is_not_permanent()
    {
        var address = Assert.Single(IpRoute2Json.ParseAddresses(
            """[{"ifindex":2,"ifname":"eth0","addr_info":[{"family":"inet6","local":"2001:db8::9","prefixlen":64,"scope":"global","dynamic":true,"mngtmpaddr":true}]}]"""));
        Assert.Equal(AddressFlags.ManageTemporaryAddress, address.Flags);
    }

    [Fact]
    public void Numeric_scopes_from_ip_N_are_read_too()
    {
        var address = Assert.Single(IpRoute2Json.ParseAddresses(
            """[{"ifindex":2,"ifname":"eth0","addr_info":[{"family":"inet","local":"10.0.2.15","prefixlen":24,"scope":"253"}]}]"""));
        Assert.Equal(RouteScope.Link, address.Scope);
    }

    [Fact]
    public void A_link_with_no_addresses_adds_none_and_other_families_are_skipped()
    {
        Assert.Empty(IpRoute2Json.ParseAddresses(
            """[{"ifindex":2,"ifname":"eth0","addr_info":[]},{"ifindex":3,"ifname":"m","addr_info":[{"family":"mpls","local":"100"}]}]"""));
    }

    [Fact]
    public void An_address_of_the_wrong_family_is_an_error_naming_it()
    {
        var e = Assert.Throws<FormatException>(() => IpRoute2Json.ParseAddresses(
            """[{"ifindex":2,"ifname":"eth0","addr_info":[{"family":"inet","local":"2001:db8::1","prefixlen":64}]}]"""));
        Assert.Contains("[0].addr_info[0].local", e.Message);
        Assert.Contains("2001:db8::1", e.Message);
    }

    [Fact]
    public void The_tunl0_address_is_a_slash_32()
    {
        var tunl0 = IpRoute2Json.ParseAddresses(Fixture.Read("ipip-addresses.json")).Single(a => a.LinkName == "tunl0");
        Assert.Equal(IPPrefix.Parse("192.168.50.1/32"), tunl0.Prefix);
    }
}
