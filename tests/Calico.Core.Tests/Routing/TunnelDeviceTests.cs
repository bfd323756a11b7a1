using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>Which tunnel devices a node needs and how they are set up.</summary>
public class TunnelDeviceTests
{
    private static TunnelDevicePlan Device(RoutePlan plan, string name) => plan.Devices.Single(d => d.Name == name);

    [Fact]
    public void An_IPIP_pool_needs_tunl0_with_the_nodes_tunnel_address_as_32_and_host_MTU_minus_20()
    {
        var tunl0 = Device(SeedLab.Plan("node2", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)]), "tunl0");
        Assert.Equal((TunnelDeviceAction.Configure, "192.168.2.0/32", 1480, (string?)null),
            (tunl0.Action, tunl0.Address.ToString(), tunl0.Mtu, tunl0.Problem));
        Assert.Equal("tunl0: ipip, address 192.168.2.0/32, mtu 1480", tunl0.ToString());
    }

    [Fact]
    public void A_disabled_IPIP_pool_still_turns_IPIP_on()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.Pool("p", SeedLab.PoolCidr, IPIPMode.Always, disabled: true)]);
        Assert.True(Device(plan, "tunl0").Needed);
    }

    [Fact]
    public void Without_a_tunnel_address_tunl0_cannot_be_configured_and_the_plan_says_so()
    {
        var nodes = SeedLab.Nodes();
        nodes[0].Spec.BGP!.IPv4IPIPTunnelAddr = null;
        var plan = SeedLab.Plan("node1", nodes, [SeedLab.IPIPPool(IPIPMode.Always)]);
        var tunl0 = Device(plan, "tunl0");
        Assert.Null(tunl0.Address);
        Assert.StartsWith("this node has no spec.bgp.ipv4IPIPTunnelAddr", tunl0.Problem);
        Assert.Contains(plan.Findings, f => f.Message.StartsWith("tunl0: this node has no spec.bgp.ipv4IPIPTunnelAddr"));
    }

    [Fact]
    public void Without_IPIP_pools_felix_strips_tunl0s_addresses_unless_ipipEnabled_is_set_false()
    {
        var implicitOff = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.VXLANPool(VXLANMode.Always)]);
        Assert.Equal(TunnelDeviceAction.RemoveAddresses, Device(implicitOff, "tunl0").Action);
        var explicitOff = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], settings: SeedLab.Settings with { IPIPEnabled = false });
        Assert.Equal(TunnelDeviceAction.LeaveAlone, Device(explicitOff, "tunl0").Action);
    }

    [Fact]
    public void ipipEnabled_true_turns_tunl0_on_without_any_IPIP_pool()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Never)], settings: SeedLab.Settings with { IPIPEnabled = true });
        Assert.True(Device(plan, "tunl0").Needed);
    }

    [Fact]
    public void A_VXLAN_pool_needs_vxlan_calico_with_VNI_port_MAC_and_the_node_as_source()
    {
        var device = Device(SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.VXLANPool(VXLANMode.Always)]), "vxlan.calico");
        Assert.Equal("vxlan.calico: vxlan id 4096 dstport 4789 local 10.0.2.15 dev eth0, address 192.168.1.0/32, lladdr 66:f9:37:c3:7e:94, mtu 1450",
            device.ToString());
    }

    [Fact]
    public void A_configured_VXLAN_MAC_replaces_the_generated_one_in_felixs_printed_form()
    {
        var nodes = SeedLab.Nodes();
        nodes[0].Spec.VXLANTunnelMACAddr = "AA-BB-CC-DD-EE-01";
        var device = Device(SeedLab.Plan("node1", nodes, [SeedLab.VXLANPool(VXLANMode.Always)]), "vxlan.calico");
        Assert.Equal("aa:bb:cc:dd:ee:01", device.Mac);
    }

    [Fact]
    public void Without_a_VTEP_vxlan_calico_cannot_be_configured()
    {
        var nodes = SeedLab.Nodes();
        nodes[0].Spec.IPv4VXLANTunnelAddr = null;
        var device = Device(SeedLab.Plan("node1", nodes, [SeedLab.VXLANPool(VXLANMode.Always)]), "vxlan.calico");
        Assert.StartsWith("this node has no VTEP", device.Problem);
    }

    [Fact]
    public void VXLAN_port_VNI_and_MTU_follow_the_settings()
    {
        var settings = SeedLab.Settings with { VXLANPort = 8472, VXLANVNI = 1, VXLANMTU = 1400 };
        var device = Device(SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.VXLANPool(VXLANMode.Always)], settings: settings), "vxlan.calico");
        Assert.Equal((8472, 1, 1400), (device.Port, device.Vni, device.Mtu));
    }

    [Fact]
    public void With_vxlanEnabled_false_vxlan_calico_is_deleted_even_with_a_VXLAN_pool()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.VXLANPool(VXLANMode.Always)], settings: SeedLab.Settings with { VXLANEnabled = false });
        Assert.Equal(TunnelDeviceAction.Delete, Device(plan, "vxlan.calico").Action);
        Assert.All(plan.Routes.Where(r => r.Type != PlannedRouteType.Blackhole), r => Assert.Equal(PlannedRouteType.Unreachable, r.Type));
    }
}
