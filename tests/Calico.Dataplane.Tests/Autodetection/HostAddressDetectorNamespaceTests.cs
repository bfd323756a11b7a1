using System.Net;
using Calico.Dataplane.Autodetection;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Net;

namespace Calico.Dataplane.Tests.Autodetection;

/// <summary>Autodetection against a real namespace laid out like a Calico host.</summary>
public sealed class HostAddressDetectorNamespaceTests : IDisposable
{
    private readonly Lab _lab;
    private readonly HostAddressDetector _detector;

    public HostAddressDetectorNamespaceTests()
    {
        if (NamespaceFactAttribute.MissingRequirement is not null)
        {
            _lab = null!;
            _detector = null!;
            return;
        }
        _lab = Lab.Create("host");
        try
        {
            // Created in this order, so this is also the ifindex order; peers carry no address.
            var batch = new KernelBatch();
            foreach (var (name, peer, cidr) in new[]
            {
                ("eth0", "p-eth0", "10.0.2.15/24"), ("docker0", "p-docker0", "172.17.0.1/16"), ("eth1", "p-eth1", "10.0.3.15/24"),
                ("cali123", "p-cali123", "169.254.1.1/32"), ("tunl0", "p-tunl0", "192.168.50.1/32"), ("veth9", "p-veth9", "10.98.0.1/24"),
            })
            {
                batch.AddVeth(name, peer).SetLink(name, new LinkSettings { Up = true }).SetLink(peer, new LinkSettings { Up = true })
                    .AddAddress(name, IPPrefix.Parse(cidr));
            }
            batch.AddAddress("eth0", IPPrefix.Parse("2001:db8::15/64"))
                .AddVxlan("vxlan.calico", new VxlanSettings { Local = IPAddress.Parse("10.0.2.15"), Device = "eth0" })
                .SetLink("vxlan.calico", new LinkSettings { Up = true })
                .AddAddress("vxlan.calico", IPPrefix.Parse("192.168.10.0/32"));
            var kernel = _lab.Kernel("host");
            kernel.Apply(batch);
            _lab.Ip("host", "link", "add", "name", "br-x", "type", "bridge");
            _lab.Ip("host", "address", "add", "10.99.0.1/24", "dev", "br-x");
            _detector = new HostAddressDetector(kernel);
        }
        catch
        {
            _lab.Dispose();
            throw;
        }
    }

    public void Dispose() => _lab?.Dispose();

    [NamespaceFact]
    public void First_found_skips_every_calico_and_container_interface()
    {
        var detection = _detector.Detect("first-found");
        Assert.Equal(IPPrefix.Parse("10.0.3.15/24"), detection.Address);
        Assert.Equal("eth1", detection.Interface);
        var excluded = detection.Candidates.Where(c => c.Verdict == HostAddressVerdict.InterfaceExcluded).Select(c => c.Interface).Distinct().Order();
        Assert.Equal(["br-x", "cali123", "docker0", "lo", "tunl0", "veth9", "vxlan.calico"], excluded);
        Assert.Equal(HostAddressVerdict.NotFirst, detection.Candidates.Single(c => c.Address == IPPrefix.Parse("10.0.2.15/24")).Verdict);
    }

    [NamespaceFact]
    public void Interface_skip_interface_and_cidr_pick_as_calico_node_does()
    {
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), _detector.Detect("interface=eth0").Address);
        Assert.Equal(IPPrefix.Parse("192.168.10.0/32"), _detector.Detect("interface=vxlan\\.calico").Address);
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), _detector.Detect("skip-interface=eth1").Address);
        Assert.Equal(IPPrefix.Parse("172.17.0.1/16"), _detector.Detect("cidr=172.16.0.0/12").Address);
    }

    [NamespaceFact]
    public void Can_reach_asks_the_namespaces_own_routing()
    {
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), _detector.Detect("can-reach=10.0.2.99").Address);
        Assert.Equal(IPPrefix.Parse("10.0.3.15/24"), _detector.Detect("can-reach=10.0.3.99").Address);
        Assert.Equal(IPPrefix.Parse("172.17.0.1/16"), _detector.Detect("can-reach=172.17.5.5").Address);
        Assert.StartsWith("cannot reach 203.0.113.1: ", _detector.Detect("can-reach=203.0.113.1").Error);
    }

    [NamespaceFact]
    public void A_configured_ip_gets_its_interface_prefix()
    {
        Assert.Equal(IPPrefix.Parse("10.0.2.15/24"), _detector.FindConfiguredAddress("10.0.2.15").Address);
        Assert.Equal(IPPrefix.Parse("10.0.4.4/32"), _detector.FindConfiguredAddress("10.0.4.4").Address);
    }

    [NamespaceFact]
    public void Ipv6_first_found_skips_link_local_addresses()
    {
        var detection = _detector.Detect("first-found", 6);
        Assert.Equal(IPPrefix.Parse("2001:db8::15/64"), detection.Address);
        Assert.Contains(detection.Candidates, c => c.Verdict == HostAddressVerdict.NotGlobalUnicast && c.Address.Address.IsIPv6LinkLocal);
    }
}
