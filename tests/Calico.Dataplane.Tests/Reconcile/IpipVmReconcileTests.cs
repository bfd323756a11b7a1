using System.Net;
using System.Net.Sockets;
using System.Text;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Tests.Support;
using Calico.Net;
using Calico.Resources;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>
/// The reconciler against a kernel that has ipip (tests/IpipVm), by record and replay: boot 1 builds node1's namespace
/// (the kernel's fallback tunl0 down, with a stray address) and captures what the reconciler reads; here the diff is
/// computed from those captures and its commands recorded; boot 2 rebuilds the namespace, runs exactly those commands
/// and captures again; here the fresh diff must be empty and tunl0 configured as felix configures it.
/// </summary>
public class IpipVmReconcileTests
{
    private const string Setup = """
        set -e
        ip netns add node
        ip -n node link set lo up
        ip -n node link add eth0 type veth peer name peer0
        ip -n node link set eth0 up
        ip -n node link set peer0 up
        ip -n node address add 10.0.2.15/24 dev eth0
        ip -n node address add 10.99.0.1/24 dev tunl0
        capture() {
          mkdir -p "$1"
          ip -n node -details -json link show > "$1/links.json"
          ip -n node -json address show > "$1/addresses.json"
          ip -n node -N -details -json -4 route show table all > "$1/routes4.json"
          ip -n node -N -details -json -6 route show table all > "$1/routes6.json"
          ip -n node -json neigh show nud all > "$1/neighbours.json"
          bridge -n node -json fdb show > "$1/fdb.json"
          ip netns exec node grep -H -s "" /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding > "$1/sysctls.txt" || true
          ip netns exec node nft -j list tables > "$1/tables.json"
        }
        """;

    [IpipVmFact]
    public void The_IPIP_plan_configures_the_kernels_own_tunl0_and_a_second_diff_is_empty()
    {
        var folder = Directory.CreateTempSubdirectory("calico-ipip-reconcile-").FullName;
        try
        {
            IpipVm.Run(folder, $"{Setup}\ncd {folder}\ncapture before\n");
            var before = new ReplayRunner(Path.Combine(folder, "before"));
            var kernel = new IpRoute2Kernel(NetworkNamespace.Named("node"), before);
            var facts = HostFacts.Read(kernel, IPAddress.Parse("10.0.2.15"));
            var plan = RoutePlanner.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], SeedLab.Blocks(), facts.ApplyTo(RouteSettings.Default));
            // The kernel's tunl0 is there (ipip is loaded): no probe may be needed.
            var reconciler = new DataplaneReconciler(kernel, _ => throw new InvalidOperationException("tunl0 exists; no probe expected"));

            var changes = reconciler.Sync(plan, facts);

            // The planned address goes on before the stray one comes off: tunl0 is never without an IPv4 address, which
            // would make the kernel flush its routes (found by the IP-in-IP lab).
            Assert.Equal(
                ["Change TunnelDevice tunl0", "Add Address tunl0", "Delete Address tunl0", "Add Route 192.168.1.0/26",
                 "Add Route 192.168.2.0/26", "Add Route 192.168.3.0/26", "Change Sysctl net.ipv4.ip_forward"],
                changes.Select(c => $"{c.Kind} {c.Object} {c.Target}"));
            Assert.Equal(("mtu 1480 down", "mtu 1480 up"), (changes[0].OldValue, changes[0].NewValue));
            Assert.Equal("10.99.0.1/24 dev tunl0", changes[2].OldValue);
            Assert.Equal(2, before.Applied.Count);   // one ip -batch, one sysctl write

            IpipVm.Run(folder, $"{Setup}\ncd {folder}\n{before.ReplayScript(folder)}\ncapture after\n");

            var after = new IpRoute2Kernel(NetworkNamespace.Named("node"), new ReplayRunner(Path.Combine(folder, "after")));
            var diff = new DataplaneReconciler(after, _ => throw new InvalidOperationException()).Diff(plan, facts);
            Assert.Empty(diff.Changes);
            Assert.Empty(diff.Warnings);
            var tunl0 = after.GetLinks().Single(l => l.Name == "tunl0");
            Assert.Equal(("ipip", 1480, true, (IPAddress?)null), (tunl0.Kind, tunl0.Mtu, tunl0.IsUp, tunl0.IpTunnel!.Remote));
            Assert.Equal(["192.168.1.0/32"], after.GetAddresses().Where(a => a.LinkName == "tunl0" && a.Prefix.Family == 4).Select(a => a.Prefix.ToString()));
            var route = after.GetRoutes(AddressFamily.InterNetwork).Single(r => r.Destination == IPPrefix.Parse("192.168.3.0/26"));
            Assert.Equal(("tunl0", IPAddress.Parse("10.0.3.20"), true, RouteProtocol.Calico, (int?)1480), (route.Device, route.Gateway, route.OnLink, route.Protocol, route.Mtu));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Answers the reconciler's reads from a capture folder and records its writes. A read it does not know fails the
    /// test, so a change in what the kernel layer runs shows up here.
    /// </summary>
    private sealed class ReplayRunner(string captures) : ICommandRunner
    {
        public List<(string File, IReadOnlyList<string> Arguments, string? Input)> Applied { get; } = [];

        public CommandResult Run(string file, IReadOnlyList<string> arguments, string? standardInput = null)
        {
            var words = arguments.ToHashSet();
            if (words.Contains("-batch") || words.Contains("sh") || (words.Contains("nft") && words.Contains("-f")))
            {
                Applied.Add((file, arguments, standardInput));
                return new CommandResult(0, "", "");
            }
            string? capture =
                file == "bridge" && words.Contains("fdb") ? "fdb.json"
                : words.Contains("grep") ? "sysctls.txt"
                : words.Contains("nft") && words.Contains("tables") ? "tables.json"
                : words.Contains("nft") ? null
                : words.Contains("link") ? "links.json"
                : words.Contains("address") ? "addresses.json"
                : words.Contains("route") ? (words.Contains("-4") ? "routes4.json" : "routes6.json")
                : words.Contains("neigh") ? "neighbours.json"
                : throw new InvalidOperationException($"no capture for: {file} {string.Join(' ', arguments)}");
            // Calico's own nft tables do not exist in the captured namespace.
            return capture is null
                ? new CommandResult(1, "", "Error: No such file or directory")
                : new CommandResult(0, File.ReadAllText(Path.Combine(captures, capture)), "");
        }

        /// <summary>The recorded writes as a shell script, each command's input in a file of its own.</summary>
        public string ReplayScript(string folder)
        {
            var script = new StringBuilder();
            for (var i = 0; i < Applied.Count; i++)
            {
                var (file, arguments, input) = Applied[i];
                var line = CommandText.Of(file, arguments);
                if (input is not null)
                {
                    var path = Path.Combine(folder, $"input-{i}");
                    File.WriteAllText(path, input);
                    line += $" < {path}";
                }
                script.AppendLine(line);
            }
            return script.ToString();
        }
    }
}
