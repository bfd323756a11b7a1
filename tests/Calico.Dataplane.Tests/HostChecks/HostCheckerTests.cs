using System.Net;
using Calico.Dataplane.HostChecks;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Tests.Reconcile;
using Calico.Dataplane.Tests.Support;
using Calico.Resources;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Dataplane.Tests.HostChecks;

/// <summary>Test-CalicoHost's checks against real namespaces (and a few hand-built kernels for what a namespace cannot show).</summary>
public class HostCheckerTests
{
    private static KernelFeatureStatus Works(KernelFeature f) => new(f, true, "works");

    private static KernelFeatureStatus NoIpip(KernelFeature f) =>
        f == KernelFeature.Ipip ? new(f, false, "an ipip (IP-in-IP) device is not available: the kernel said \"Error: Unknown device type.\"") : Works(f);

    private static Node Node1(string address = "10.0.2.15/24") => SeedLab.Node("node1", address, tunnel: "192.168.1.0");

    private static string[] Lines(IEnumerable<HostFinding> findings) => findings.Select(f => $"{f.Severity} {f.Check}").ToArray();

    [NamespaceFact]
    public void A_fresh_namespace_with_a_slash_32_node_shows_forwarding_off_and_the_missing_subnet_with_its_fix()
    {
        using var node = new SeedNamespace();
        var findings = new HostChecker(node.Kernel, Works).Check(Node1("10.0.2.15/32"));

        Assert.Equal(["Error forwarding", "Warning node-address"], Lines(findings));
        Assert.StartsWith("net.ipv4.ip_forward is 0", findings[0].Message);
        Assert.Equal("node node1 spec.bgp.ipv4Address is stored as 10.0.2.15/32 without its subnet, while eth0 has 10.0.2.15/24: "
            + "felix sees no node in this node's subnet, so CrossSubnet pools encapsulate to every node.", findings[1].Message);
        Assert.Equal("Set-CalicoNode -Name node1 -IPv4Address 10.0.2.15/24", findings[1].Fix);
    }

    [NamespaceFact]
    public void After_a_sync_of_the_VXLAN_plan_a_correct_node_has_nothing_to_report()
    {
        using var node = new SeedNamespace();
        var plan = node.VxlanPlan(nat: true);
        node.Sync(plan);
        // The real probes: this kernel has VXLAN and nftables (and, here, no ipip, which the plan does not need).
        var findings = new HostChecker(node.Kernel).Check(Node1(), plan: plan);
        Assert.DoesNotContain(findings, f => f.Severity != HostFindingSeverity.Information);
    }

    [NamespaceFact]
    public void A_stored_address_no_interface_has_is_an_error_that_lists_the_hosts_addresses()
    {
        using var node = new SeedNamespace();
        var finding = Assert.Single(new HostChecker(node.Kernel, Works).Check(Node1("10.0.9.9/24")), f => f.Check == HostFinding.NodeAddress);
        Assert.Equal(HostFindingSeverity.Error, finding.Severity);
        Assert.Contains("no interface of this host has 10.0.9.9", finding.Message);
        Assert.Equal("Set-CalicoNode -Name node1 -IPv4Address <address/prefix> (this host has 10.0.2.15/24 on eth0); or check that this host is node node1", finding.Fix);
    }

    [NamespaceFact]
    public void Forwarding_turned_off_on_the_nodes_interface_is_found()
    {
        using var node = new SeedNamespace();
        node.Exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        node.Exec("sysctl", "-q", "-w", "net.ipv4.conf.eth0.forwarding=0");
        var finding = Assert.Single(new HostChecker(node.Kernel, Works).Check(Node1()));
        Assert.Equal((HostFindingSeverity.Error, "net.ipv4.conf.eth0.forwarding is 0: packets arriving on eth0 are not forwarded."), (finding.Severity, finding.Message));
    }

    [NamespaceFact]
    public void Tunnel_MTUs_larger_than_the_host_allows_are_errors()
    {
        using var node = new SeedNamespace();
        node.Sync(node.VxlanPlan());
        node.Exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        node.Ip("link", "set", "dev", "peer0", "mtu", "1400");
        node.Ip("link", "set", "dev", "eth0", "mtu", "1400");
        var stalePlan = node.VxlanPlan();   // planned with the facts read before the MTU changed: 1450

        var findings = new HostChecker(node.Kernel, Works).Check(Node1(), RouteSettings.Default with { IPIPMTU = 1400 }, stalePlan);

        Assert.Equal(["Error mtu", "Error mtu"], Lines(findings));
        Assert.Equal("FelixConfiguration ipipMTU is 1400, more than eth0's MTU 1400 minus 20: tunnelled packets over 1380 bytes are dropped or fragmented.", findings[0].Message);
        Assert.Equal("the route plan gives vxlan.calico MTU 1450, more than eth0's MTU 1400 minus 50: it was planned with the wrong host MTU.", findings[1].Message);

        // Without a plan, the device itself is what is wrong.
        var device = Assert.Single(new HostChecker(node.Kernel, Works).Check(Node1()));
        Assert.Equal("vxlan.calico has MTU 1450, more than eth0's MTU 1400 minus 50 (1350).", device.Message);
    }

    [Fact]
    public void Missing_kernel_support_is_an_error_only_when_the_plan_needs_it()
    {
        var kernel = SeedKernel.VxlanInSync();
        var checker = new HostChecker(kernel, NoIpip);

        var ipip = checker.Check(Node1(), plan: SeedKernel.IpipPlan()).Single(f => f.Check == HostFinding.Ipip);
        Assert.Equal(HostFindingSeverity.Error, ipip.Severity);
        Assert.Contains("modprobe ipip", ipip.Fix);
        Assert.Contains("CONFIG_NET_IPIP", ipip.Fix);
        Assert.Equal(HostFindingSeverity.Information, checker.Check(Node1(), plan: SeedKernel.VxlanPlan()).Single(f => f.Check == HostFinding.Ipip).Severity);
        Assert.Equal(HostFindingSeverity.Warning, checker.Check(Node1()).Single(f => f.Check == HostFinding.Ipip).Severity);
    }

    [Fact]
    public void An_uplink_felix_does_not_count_for_the_host_MTU_is_found()
    {
        var kernel = new StaticKernel().Device("bond0", 1400, "10.0.2.15/24").Device("eth1", 1500, "172.31.0.5/16");
        var findings = new HostChecker(kernel, Works).Check(Node1());
        var finding = Assert.Single(findings);
        Assert.Equal("the node's interface bond0 (MTU 1400) does not count for felix's host MTU (1500, from eth1), so tunnel MTUs are derived too large.", finding.Message);

        var alone = new StaticKernel().Device("bond0", 9000, "10.0.2.15/24");
        Assert.Equal("set FelixConfiguration mtuIfacePattern to match the host's uplink (e.g. ^bond0$), or set the tunnel MTUs explicitly",
            Assert.Single(new HostChecker(alone, Works).Check(Node1())).Fix);
    }

    [Fact]
    public void A_node_without_an_IPv4_address_or_with_an_unreadable_one_is_reported()
    {
        var kernel = SeedKernel.Bare();
        var none = Assert.Single(new HostChecker(kernel, Works).Check(SeedLab.Node("node1", null)));
        Assert.Equal((HostFindingSeverity.Warning, "Set-CalicoNode -Name node1 -IPv4Address <address/prefix> (this host has 10.0.2.15/24 on eth0)"), (none.Severity, none.Fix));
        var bad = Assert.Single(new HostChecker(kernel, Works).Check(Node1("10.0.2.300/24")));
        Assert.Equal("node node1 spec.bgp.ipv4Address: value \"10.0.2.300/24\": not an address or CIDR.", bad.Message);
    }
}
