using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Routing;
using static Calico.Dataplane.Tests.Reconcile.SeedKernel;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>The parent interface and felix's host MTU rule.</summary>
public class HostFactsTests
{
    private static Link L(string name, int mtu, bool up = true, string state = "UP") =>
        new() { Index = name.Length, Name = name, Mtu = mtu, Flags = up ? ["UP"] : [], OperationalState = state };

    [Fact]
    public void Host_MTU_is_the_smallest_of_running_interfaces_matching_felixs_pattern()
    {
        var facts = HostFacts.From(
            [L("lo", 65536, state: "UNKNOWN"), L("eth0", 1500), L("ens3", 1450), L("wlan0", 1400, up: false), L("enp0s1", 1300, state: "DOWN"),
             L("docker0", 1200), L("bond0", 1000), L("vxlan.calico", 1450, state: "UNKNOWN")],
            [], null);
        Assert.Equal((1450, false), (facts.HostMtu, facts.HostMtuAssumed));
        Assert.Equal(["eth0", "ens3"], facts.MtuInterfaces);
    }

    [Fact]
    public void Without_a_matching_interface_felix_assumes_1460()
    {
        var facts = HostFacts.From([L("bond0", 9000)], [], null);
        Assert.Equal((1460, true), (facts.HostMtu, facts.HostMtuAssumed));
    }

    [Fact]
    public void The_parent_interface_holds_the_node_address_and_settings_take_both_facts()
    {
        var kernel = Bare().Device("eth1", 9000, "10.0.3.15/24");
        var facts = HostFacts.Read(kernel, A("10.0.3.15"));
        Assert.Equal("eth1", facts.ParentInterface);
        Assert.Equal((1500, "eth1"), (facts.ApplyTo(RouteSettings.Default).HostMTU, facts.ApplyTo(RouteSettings.Default).HostInterface));
        Assert.Null(HostFacts.Read(kernel, A("10.0.9.9")).ParentInterface);
    }
}
