using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;
using Calico.Net;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>Which commands <see cref="IpRoute2Kernel"/> runs, and how it reports their failures, without a kernel.</summary>
public class IpRoute2KernelCommandTests
{
    private static readonly NetworkNamespace Lab = NetworkNamespace.Named("lab1");

    [Fact]
    public void Each_read_is_one_command_in_the_namespace()
    {
        var runner = new ScriptedRunner((file, args, _) => new CommandResult(0, file == "bridge" ? "" : "[]", ""));
        var kernel = new IpRoute2Kernel(Lab, runner);
        kernel.GetLinks();
        kernel.GetAddresses();
        kernel.GetRoutes(AddressFamily.InterNetwork);
        kernel.GetRoutes(AddressFamily.InterNetworkV6);
        kernel.GetNeighbours();
        kernel.GetFdbEntries();
        Assert.Equal(
        [
            "ip -n lab1 -details -json link show",
            "ip -n lab1 -json address show",
            "ip -n lab1 -N -details -json -4 route show table all",
            "ip -n lab1 -N -details -json -6 route show table all",
            "ip -n lab1 -json neigh show nud all",
            "bridge -n lab1 -json fdb show",
        ], runner.CommandLines);
    }

    [Fact]
    public void The_current_namespace_adds_no_option()
    {
        var runner = new ScriptedRunner("[]");
        new IpRoute2Kernel(runner: runner).GetLinks();
        Assert.Equal(["ip -details -json link show"], runner.CommandLines);
    }

    [Fact]
    public void Route_lookup_asks_for_calicos_udp_flow()
    {
        var runner = new ScriptedRunner(Fixture.Read("route-get.json"));
        var lookup = new IpRoute2Kernel(Lab, runner).LookupRoute(IPAddress.Parse("10.0.2.10"));
        Assert.Equal(["ip -n lab1 -4 -json route get to 10.0.2.10 ipproto udp dport 80"], runner.CommandLines);
        Assert.Equal(IPAddress.Parse("10.0.2.15"), lookup.PreferredSource);
    }

    [Fact]
    public void A_batch_is_one_ip_process_one_bridge_process_then_one_shell_for_sysctls()
    {
        var runner = new ScriptedRunner();
        var batch = new KernelBatch()
            .AddVeth("a", "b")
            .AddAddress("a", IPPrefix.Parse("10.0.2.15/24"))
            .AppendFdbEntry("a", "02:00:00:00:00:01", IPAddress.Parse("10.0.2.10"))
            .SetSysctl(SysctlKey.ForInterface("net.ipv4.conf", "a", "proxy_arp"), "1");
        new IpRoute2Kernel(Lab, runner).Apply(batch);

        Assert.Equal(3, runner.Calls.Count);
        Assert.Equal("ip -n lab1 -batch -", runner.CommandLines[0]);
        Assert.Equal("link add name a type veth peer name b\naddress add 10.0.2.15/24 dev a\n", runner.Calls[0].Input);
        Assert.Equal("bridge -n lab1 -batch -", runner.CommandLines[1]);
        Assert.Equal("fdb append 02:00:00:00:00:01 dev a dst 10.0.2.10 self permanent\n", runner.Calls[1].Input);
        var sysctl = runner.Calls[2];
        Assert.Equal("ip", sysctl.File);
        Assert.Equal(["netns", "exec", "lab1", "sh", "-c"], sysctl.Arguments.Take(5));
        Assert.Equal(["sh", "net/ipv4/conf/a/proxy_arp", "1"], sysctl.Arguments.Skip(6));
    }

    [Fact]
    public void An_empty_batch_runs_nothing()
    {
        var runner = new ScriptedRunner();
        new IpRoute2Kernel(Lab, runner).Apply(new KernelBatch());
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public void A_failing_batch_names_the_command_exit_code_line_and_kernel_message()
    {
        var runner = new ScriptedRunner((_, _, _) => new CommandResult(2, "", "RTNETLINK answers: File exists\nCommand failed -:2\n"));
        var batch = new KernelBatch()
            .AddAddress("a", IPPrefix.Parse("10.0.2.15/24"))
            .AddAddress("a", IPPrefix.Parse("10.0.2.15/24"));
        var e = Assert.Throws<KernelCommandException>(() => new IpRoute2Kernel(Lab, runner).Apply(batch));
        Assert.Equal(2, e.FailedLine);
        Assert.Equal("address add 10.0.2.15/24 dev a", e.FailedLineText);
        Assert.Equal("'ip -n lab1 -batch -' failed with exit code 2 at line 2 (address add 10.0.2.15/24 dev a): RTNETLINK answers: File exists", e.Message);
    }

    [Fact]
    public void Sysctl_values_are_read_with_one_grep_and_missing_keys_are_left_out()
    {
        var runner = new ScriptedRunner((_, _, _) => new CommandResult(2,
            "/proc/sys/net/ipv4/ip_forward:1\n/proc/sys/net/ipv4/conf/vxlan.calico/proxy_arp:0\n/proc/sys/net/ipv4/ip_local_port_range:32768\t60999\n",
            "grep: /proc/sys/net/nope/x: No such file or directory\n"));
        var forward = SysctlKey.Parse("net.ipv4.ip_forward");
        var proxyArp = SysctlKey.ForInterface("net.ipv4.conf", "vxlan.calico", "proxy_arp");
        var range = SysctlKey.Parse("net.ipv4.ip_local_port_range");
        var missing = SysctlKey.Parse("net.nope.x");
        var values = new IpRoute2Kernel(Lab, runner).GetSysctls([forward, proxyArp, range, missing]);
        Assert.Equal("1", values[forward]);
        Assert.Equal("0", values[proxyArp]);
        Assert.Equal("32768\t60999", values[range]);
        Assert.False(values.ContainsKey(missing));
        Assert.Equal("ip netns exec lab1 grep -H -s  /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/vxlan.calico/proxy_arp /proc/sys/net/ipv4/ip_local_port_range /proc/sys/net/nope/x",
            Assert.Single(runner.CommandLines));
    }

    [Fact]
    public void A_failing_read_names_the_command_and_stderr()
    {
        var runner = new ScriptedRunner((_, _, _) => new CommandResult(1, "", "Cannot open network namespace \"lab1\": No such file or directory\n"));
        var e = Assert.Throws<KernelCommandException>(() => new IpRoute2Kernel(Lab, runner).GetLinks());
        Assert.Equal("'ip -n lab1 -details -json link show' failed with exit code 1: Cannot open network namespace \"lab1\": No such file or directory", e.Message);
    }

    [Fact]
    public void A_failing_nft_script_names_its_first_bad_line()
    {
        var runner = new ScriptedRunner((_, _, _) => new CommandResult(1, "",
            "/dev/stdin:4:3-7: Error: syntax error, unexpected junk\n  bogus rule\n  ^^^^^\n"));
        var script = "table ip calico {}\ndelete table ip calico\ntable ip calico {\n  bogus rule\n}\n";
        var e = Assert.Throws<KernelCommandException>(() => new IpRoute2Kernel(Lab, runner).ApplyNftables(script));
        Assert.Equal(4, e.FailedLine);
        Assert.Equal("bogus rule", e.FailedLineText);
        Assert.StartsWith("'ip netns exec lab1 nft -f -' failed with exit code 1 at line 4 (bogus rule): /dev/stdin:4:3-7", e.Message);
    }

    [Fact]
    public void A_missing_program_is_a_kernel_command_error_naming_it()
    {
        var e = Assert.Throws<KernelCommandException>(() => ProcessCommandRunner.Instance.Run("calico-no-such-program", ["x"]));
        Assert.Equal(-1, e.ExitCode);
        Assert.Contains("calico-no-such-program", e.Message);
    }
}
