using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Net;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>
/// The ipip side of the batch layer, on a kernel that has ipip (tests/IpipVm): tunl0 configured as felix
/// configures it, an extra ipip device, and Calico's routes through tunl0, read back by the same parsers.
/// </summary>
public class IpipVmTests
{
    [IpipVmFact]
    public void Tunl0_is_configured_and_ipip_routes_read_back_on_a_kernel_with_ipip()
    {
        var batch = new KernelBatch()
            .AddVeth("eth0", "peer0")
            .SetLink("eth0", new LinkSettings { Up = true })
            .SetLink("peer0", new LinkSettings { Up = true })
            .AddAddress("eth0", IPPrefix.Parse("10.0.2.15/24"))
            .SetLink("tunl0", new LinkSettings { Mtu = 1480, Up = true })
            .ReplaceAddress("tunl0", IPPrefix.Parse("192.168.50.1/32"))
            .AddIpip("t1", IPAddress.Parse("10.0.2.15"), IPAddress.Parse("10.0.3.20"), "eth0")
            .AddRoute(new Route
            {
                Destination = IPPrefix.Parse("192.168.60.0/26"), Gateway = IPAddress.Parse("10.0.3.20"), Device = "tunl0",
                OnLink = true, Protocol = RouteProtocol.Calico, Mtu = 1480,
            })
            .AddRoute(new Route { Destination = IPPrefix.Parse("192.168.50.0/26"), Type = RouteType.Blackhole, Protocol = RouteProtocol.Calico });

        var folder = Directory.CreateTempSubdirectory("calico-ipip-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(folder, "ip.batch"), batch.IpCommands);
            IpipVm.Run(folder, $"""
                set -e
                cd {folder}
                ip netns add node
                ip -n node -batch ip.batch
                ip -n node -details -json link show > links.json
                ip -n node -json address show > addresses.json
                ip -n node -N -details -json -4 route show table all > routes.json
                """);

            var links = IpRoute2Json.ParseLinks(File.ReadAllText(Path.Combine(folder, "links.json")));
            var tunl0 = links.Single(l => l.Name == "tunl0");
            Assert.Equal(("ipip", 1480, true), (tunl0.Kind, tunl0.Mtu, tunl0.IsUp));
            Assert.Null(tunl0.IpTunnel!.Remote);
            var t1 = links.Single(l => l.Name == "t1");
            Assert.Equal((IPAddress.Parse("10.0.2.15"), IPAddress.Parse("10.0.3.20"), "eth0"), (t1.IpTunnel!.Local, t1.IpTunnel.Remote, t1.IpTunnel.Device));

            var tunl0Addresses = IpRoute2Json.ParseAddresses(File.ReadAllText(Path.Combine(folder, "addresses.json"))).Where(a => a.LinkName == "tunl0");
            Assert.Equal([IPPrefix.Parse("192.168.50.1/32")], tunl0Addresses.Select(a => a.Prefix));

            var routes = IpRoute2Json.ParseRoutes(File.ReadAllText(Path.Combine(folder, "routes.json")), AddressFamily.InterNetwork);
            var viaTunnel = routes.Single(r => r.Destination == IPPrefix.Parse("192.168.60.0/26"));
            Assert.Equal(("tunl0", true, 80, 1480), (viaTunnel.Device, viaTunnel.OnLink, viaTunnel.Protocol, viaTunnel.Mtu));
            Assert.Equal(RouteType.Blackhole, routes.Single(r => r.Destination == IPPrefix.Parse("192.168.50.0/26")).Type);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
