using System.Net;
using Calico.Dataplane.Autodetection;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Net;

namespace Calico.Dataplane.Tests.Autodetection;

/// <summary>Autodetection over interface lists fed to it, method by method.</summary>
public class HostAddressDetectorTests
{
    /// <summary>lo(1), eth0(2), eth1(3), docker0(4), cali123(5): the kernel's order.</summary>
    private static FakeKernel Host() => new FakeKernel()
        .Interface("lo", "127.0.0.1/8", "::1/128")
        .Interface("eth0", "10.0.2.15/24", "2001:db8::15/64", "fe80::15/64")
        .Interface("eth1", "10.0.3.15/24")
        .Interface("docker0", "172.17.0.1/16")
        .Interface("cali123", "169.254.1.1/32");

    private static HostAddressDetection Detect(FakeKernel kernel, string method, int version = 4) =>
        new HostAddressDetector(kernel).Detect(method, version);

    private static HostAddressCandidate Candidate(HostAddressDetection detection, string address) =>
        detection.Candidates.Single(c => c.Address == IPPrefix.Parse(address));

    [Fact]
    public void First_found_takes_the_highest_indexed_interface_not_excluded_and_keeps_its_prefix()
    {
        var detection = Detect(Host(), "first-found");
        Assert.Equal(IPPrefix.Parse("10.0.3.15/24"), detection.Address);
        Assert.Equal("eth1", detection.Interface);
        Assert.Null(detection.Error);
        Assert.True(Candidate(detection, "10.0.3.15/24").Selected);
        Assert.Equal(HostAddressVerdict.NotFirst, Candidate(detection, "10.0.2.15/24").Verdict);
        Assert.Contains("10.0.3.15/24 on eth1 came first", Candidate(detection, "10.0.2.15/24").Reason);
    }

    [Fact]
    public void Every_address_is_a_candidate_with_its_reason()
    {
        var detection = Detect(Host(), "");
        Assert.Equal(8, detection.Candidates.Count);
        Assert.Equal(["cali123", "docker0", "eth1", "eth0", "eth0", "eth0", "lo", "lo"], detection.Candidates.Select(c => c.Interface));
        Assert.Equal("interface docker0 is excluded by Calico's default exclusion ^docker.*", Candidate(detection, "172.17.0.1/16").Reason);
        Assert.Equal("interface lo is excluded by Calico's default exclusion ^lo", Candidate(detection, "127.0.0.1/8").Reason);
        Assert.Equal(HostAddressVerdict.WrongFamily, Candidate(detection, "2001:db8::15/64").Verdict);
        Assert.Equal("an IPv6 address; detecting IPv4", Candidate(detection, "fe80::15/64").Reason);
    }

    public static TheoryData<string, string> DefaultExclusions => new()
    {
        { "docker0", "^docker.*" }, { "cbr0", "^cbr.*" }, { "dummy0", "^dummy.*" }, { "podman1", "^podman.*" },
        { "virbr0", "^virbr.*" }, { "lxcbr0", "^lxcbr.*" }, { "veth12ab", "^veth.*" }, { "lo", "^lo" },
        { "lowpan0", "^lo" }, { "br-5f2a", "^br-.*" }, { "cali0ef2", "^cali.*" }, { "tunl0", "^tunl.*" },
        { "flannel.1", "^flannel.*" }, { "kube-ipvs0", "^kube-ipvs.*" }, { "cni0", "^cni.*" },
        { "vxlan.calico", @"^vxlan\.calico.*" }, { "vxlan-v6.calico", @"^vxlan-v6\.calico.*" },
        { "wireguard.cali", @"^wireguard\.cali.*" }, { "wg-v6.cali", @"^wg-v6\.cali.*" }, { "nodelocaldns", "^nodelocaldns.*" },
    };

    [Theory]
    [MemberData(nameof(DefaultExclusions))]
    public void Each_default_exclusion_skips_its_interfaces_even_with_the_highest_index(string name, string pattern)
    {
        var kernel = new FakeKernel().Interface("eth0", "10.0.2.15/24").Interface(name, "10.99.0.1/24");
        var detection = Detect(kernel, "first-found");
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), detection.Address);
        var skipped = Candidate(detection, "10.99.0.1/24");
        Assert.Equal(HostAddressVerdict.InterfaceExcluded, skipped.Verdict);
        Assert.Equal($"interface {name} is excluded by Calico's default exclusion {pattern}", skipped.Reason);
    }

    [Fact]
    public void The_default_exclusions_are_calicos_nineteen()
    {
        Assert.Equal(19, DefaultInterfaceExclusions.Patterns.Count);
        Assert.Equal(DefaultInterfaceExclusions.Patterns.Order(), DefaultExclusions.Select(row => (string)row[1]).Distinct().Order());
    }

    [Theory]
    [InlineData("xdocker0")]
    [InlineData("vxlan0calico")]
    [InlineData("eth-cali")]
    [InlineData("bridge0")]
    public void Exclusions_are_anchored_at_the_start_of_the_name(string name)
    {
        var kernel = new FakeKernel().Interface("eth0", "10.0.2.15/24").Interface(name, "10.99.0.1/24");
        Assert.Equal(name, Detect(kernel, "first-found").Interface);
    }

    [Fact]
    public void Interfaces_are_searched_in_reverse_kernel_order_not_by_index()
    {
        var kernel = new FakeKernel().Interface("lo", 1, "127.0.0.1/8").Interface("ethB", 3, "10.0.3.1/24").Interface("ethA", 2, "10.0.2.1/24");
        Assert.Equal("ethA", Detect(kernel, "first-found").Interface);
    }

    [Fact]
    public void Interface_regexes_are_unanchored_and_skip_no_default_exclusions()
    {
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), Detect(Host(), "interface=th0").Address);
        Assert.Equal(IPPrefix.Parse("172.17.0.1/16"), Detect(Host(), "interface=docker.*").Address);
        var detection = Detect(Host(), "interface=eth0, nothing");
        Assert.Equal(HostAddressVerdict.InterfaceNotIncluded, Candidate(detection, "10.0.3.15/24").Verdict);
        Assert.Equal("interface eth1 matches none of the interface regexes (eth0, nothing)", Candidate(detection, "10.0.3.15/24").Reason);
        Assert.Equal("the first global unicast IPv4 address on an interface matching eth0, nothing", Candidate(detection, "10.0.2.15/24").Reason);
    }

    [Fact]
    public void Skip_interface_adds_its_regexes_to_the_default_exclusions()
    {
        var detection = Detect(Host(), "skip-interface=eth1");
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), detection.Address);
        Assert.Equal("interface eth1 is excluded by skip-interface regex eth1", Candidate(detection, "10.0.3.15/24").Reason);
        Assert.Equal(HostAddressVerdict.InterfaceExcluded, Candidate(detection, "172.17.0.1/16").Verdict);
    }

    [Fact]
    public void Cidr_takes_the_first_address_inside_and_applies_no_exclusions()
    {
        var detection = Detect(Host(), "cidr=10.0.2.0/24");
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), detection.Address);
        Assert.Equal("outside 10.0.2.0/24", Candidate(detection, "10.0.3.15/24").Reason);
        Assert.Equal(IPPrefix.Parse("172.17.0.1/16"), Detect(Host(), "cidr=172.16.0.0/12").Address);
    }

    [Fact]
    public void Only_global_unicast_addresses_count()
    {
        var kernel = new FakeKernel().Interface("eth0", "169.254.3.4/16", "127.0.0.2/8", "224.0.0.5/32", "0.0.0.0/0", "255.255.255.255/32");
        var detection = Detect(kernel, "interface=eth0");
        Assert.Null(detection.Address);
        Assert.Equal("no valid IPv4 addresses found on the host interfaces", detection.Error);
        Assert.Equal(
        [
            "a link-local address, not a global unicast address", "a loopback address, not a global unicast address",
            "a multicast address, not a global unicast address", "the unspecified address, not a global unicast address",
            "the broadcast address, not a global unicast address",
        ], detection.Candidates.Select(c => c.Reason));
    }

    [Fact]
    public void Private_and_unique_local_addresses_are_global_unicast_as_in_go()
    {
        var kernel = new FakeKernel().Interface("eth0", "fd00::15/64", "fe80::1/64");
        Assert.Equal(IPPrefix.Parse("fd00::15/64"), Detect(kernel, "first-found", 6).Address);
    }

    [Fact]
    public void No_interface_left_after_filtering_is_calicos_own_error()
    {
        var detection = Detect(Host(), "interface=wlan.*");
        Assert.Equal("no valid host interfaces found", detection.Error);
        Assert.All(detection.Candidates, c => Assert.Equal(HostAddressVerdict.InterfaceNotIncluded, c.Verdict));
    }

    [Fact]
    public void Ipv6_detection_takes_the_first_global_ipv6_address()
    {
        var detection = Detect(Host(), "first-found", 6);
        Assert.Equal(IPPrefix.Parse("2001:db8::15/64"), detection.Address);
        Assert.Equal(6, detection.IPVersion);
        Assert.Equal(HostAddressVerdict.NotGlobalUnicast, Candidate(detection, "fe80::15/64").Verdict);
        Assert.Equal(HostAddressVerdict.WrongFamily, Candidate(detection, "10.0.3.15/24").Verdict);
    }

    [Fact]
    public void Can_reach_takes_the_kernels_source_address_with_its_interface_prefix()
    {
        var kernel = Host();
        kernel.Routes = destination => new RouteLookup { Destination = destination, Device = "eth0", PreferredSource = IPAddress.Parse("10.0.2.15") };
        var detection = Detect(kernel, "can-reach=10.0.2.1");
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), detection.Address);
        Assert.Equal("the source address the kernel uses to reach 10.0.2.1 (out of eth0)", Candidate(detection, "10.0.2.15/24").Reason);
        Assert.Equal(HostAddressVerdict.NotReachSource, Candidate(detection, "10.0.3.15/24").Verdict);
        // can-reach looks at every interface: no default exclusions.
        Assert.Equal(HostAddressVerdict.NotReachSource, Candidate(detection, "172.17.0.1/16").Verdict);
    }

    [Fact]
    public void Can_reach_resolves_host_names_to_the_detected_family()
    {
        var kernel = Host();
        kernel.Routes = destination => new RouteLookup { Destination = destination, PreferredSource = destination.Equals(IPAddress.Parse("10.0.3.1")) ? IPAddress.Parse("10.0.3.15") : null };
        var detector = new HostAddressDetector(kernel, name => name == "gw.lab" ? [IPAddress.Parse("2001:db8::1"), IPAddress.Parse("10.0.3.1")] : []);
        var detection = detector.Detect("can-reach=gw.lab");
        Assert.Equal(IPPrefix.Parse("10.0.3.15/24"), detection.Address);
        Assert.Contains("gw.lab (10.0.3.1)", detection.Candidates.Single(c => c.Selected).Reason);
        Assert.Equal("can-reach destination nowhere.lab has no IPv4 address", detector.Detect("can-reach=nowhere.lab").Error);
    }

    [Fact]
    public void Can_reach_failures_say_why_and_examine_nothing()
    {
        var unreachable = Detect(Host(), "can-reach=203.0.113.1");
        Assert.Equal("cannot reach 203.0.113.1: RTNETLINK answers: Network is unreachable", unreachable.Error);
        Assert.Contains(unreachable.Candidates, c => c.Verdict == HostAddressVerdict.NotExamined);

        Assert.Equal("can-reach destination 2001:db8::1 is not an IPv4 address", Detect(Host(), "can-reach=2001:db8::1").Error);

        var kernel = Host();
        kernel.Routes = destination => new RouteLookup { Destination = destination, PreferredSource = IPAddress.Parse("10.7.7.7") };
        Assert.Equal("autodetected IPv4 address does not match any addresses found on local interfaces: 10.7.7.7",
            Detect(kernel, "can-reach=10.7.7.1").Error);
    }

    [Fact]
    public void Kubernetes_internal_ip_has_no_source_here()
    {
        Assert.Contains("Kubernetes Node's InternalIP", Detect(Host(), "kubernetes-internal-ip").Error);
    }

    [Fact]
    public void A_configured_ip_takes_the_prefix_of_the_interface_carrying_it()
    {
        var detection = new HostAddressDetector(Host()).FindConfiguredAddress("10.0.2.15");
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), detection.Address);
        Assert.Equal("eth0", detection.Interface);
        Assert.Equal("IP=10.0.2.15", detection.Method);
        Assert.Null(detection.Warning);
        Assert.Equal("not the configured address 10.0.2.15", Candidate(detection, "10.0.3.15/24").Reason);
    }

    [Fact]
    public void A_configured_ip_on_no_interface_is_kept_as_a_slash_32_with_a_warning()
    {
        var detection = new HostAddressDetector(Host()).FindConfiguredAddress("10.0.9.9");
        Assert.Equal(IPPrefix.Parse("10.0.9.9/32"), detection.Address);
        Assert.Null(detection.Interface);
        Assert.Contains("no interface carries 10.0.9.9, so it is kept as 10.0.9.9/32", detection.Warning);
    }

    [Fact]
    public void A_configured_cidr_is_used_as_given()
    {
        var detection = new HostAddressDetector(Host()).FindConfiguredAddress("10.0.2.15/16");
        Assert.Equal(IPPrefix.Parse("10.0.2.15/16"), detection.Address);
        Assert.Equal("eth0", detection.Interface);
        Assert.Contains("the prefix /16 given in IP is used as it is", detection.Candidates.Single(c => c.Selected).Reason);
        Assert.Equal("Unable to confirm IPv4 address 10.0.9.9 is assigned to this host",
            new HostAddressDetector(Host()).FindConfiguredAddress("10.0.9.9/24").Warning);
    }

    [Fact]
    public void A_configured_ipv6_address_takes_its_interface_prefix()
    {
        Assert.Equal(IPPrefix.Parse("2001:db8::15/64"), new HostAddressDetector(Host()).FindConfiguredAddress("2001:db8::15", 6).Address);
    }

    [Theory]
    [InlineData("10.0.2", 4, "IP")]
    [InlineData("2001:db8::15", 4, "IP")]
    [InlineData("10.0.2.15", 6, "IP6")]
    [InlineData("010.0.2.15", 4, "IP")]
    public void A_configured_value_that_is_not_an_address_of_the_version_is_an_error_naming_it(string value, int version, string variable)
    {
        var e = Assert.Throws<AutodetectionException>(() => new HostAddressDetector(Host()).FindConfiguredAddress(value, version));
        Assert.Equal(variable, e.Error.Field);
        Assert.Equal(value, e.Error.Value);
    }

    [Fact]
    public void Ip6_methods_are_named_in_errors()
    {
        var e = Assert.Throws<AutodetectionException>(() => new HostAddressDetector(Host()).Detect("bogus", 6));
        Assert.Equal("IP6_AUTODETECTION_METHOD", e.Error.Field);
    }
}
