using System.IO.Compression;
using System.Text;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;

namespace Calico.Dataplane.Tests.Kernel;

public class KernelFeaturesTests
{
    [NamespaceFact]
    public void Vxlan_and_nftables_work_here_and_the_scratch_namespace_is_removed()
    {
        var features = new KernelFeatures();
        var vxlan = features.Probe(KernelFeature.Vxlan);
        var nft = features.Probe(KernelFeature.Nftables);
        Assert.True(vxlan.Available, vxlan.Reason);
        Assert.True(nft.Available, nft.Reason);
        Assert.DoesNotContain(ProcessCommandRunner.Instance.Run("ip", ["netns", "list"]).StandardOutput.Split('\n'),
            line => line.StartsWith($"calico-probe-{Environment.ProcessId}-", StringComparison.Ordinal));
    }

    [NamespaceFact]
    public void Ipip_probe_agrees_with_creating_a_device_by_hand_and_explains_a_refusal()
    {
        var status = new KernelFeatures().Probe(KernelFeature.Ipip);
        using var lab = Lab.Create("probe");
        var byHand = ProcessCommandRunner.Instance.Run("ip", ["-n", lab.Prefix + "probe", "link", "add", "name", "t0", "type", "ipip"]);
        Assert.Equal(byHand.ExitCode == 0, status.Available);
        if (!status.Available)
        {
            Assert.Contains("ipip (IP-in-IP) device is not available", status.Reason);
            Assert.Contains(byHand.StandardError.Trim(), status.Reason);
        }
    }

    [Fact]
    public void A_refused_device_is_explained_from_the_kernel_configuration_and_module_files()
    {
        using var root = new FakeRoot();
        root.Write("proc/sys/kernel/osrelease", "6.18.0-test\n");
        root.WriteGzip("proc/config.gz", "CONFIG_VXLAN=y\n# CONFIG_NET_IPIP is not set\n");
        var status = new KernelFeatures(Refusing("Error: Unknown device type."), root.Path).Probe(KernelFeature.Ipip);
        Assert.False(status.Available);
        Assert.Equal("an ipip (IP-in-IP) device is not available: the kernel said \"Error: Unknown device type.\"; "
            + "CONFIG_NET_IPIP is not set in the kernel's configuration; there is no module directory /lib/modules/6.18.0-test", status.Reason);
    }

    [Fact]
    public void An_installed_module_that_did_not_load_is_said_so()
    {
        using var root = new FakeRoot();
        root.Write("proc/sys/kernel/osrelease", "6.1.0-test\n");
        root.Write("boot/config-6.1.0-test", "CONFIG_NET_IPIP=m\n");
        root.Write("lib/modules/6.1.0-test/modules.dep", "kernel/net/ipv4/ipip.ko.xz: kernel/net/ipv4/tunnel4.ko.xz\n");
        var status = new KernelFeatures(Refusing("Error: Unknown device type."), root.Path).Probe(KernelFeature.Ipip);
        Assert.Contains("CONFIG_NET_IPIP=m in the kernel's configuration", status.Reason);
        Assert.Contains("the ipip module is installed but did not load", status.Reason);
    }

    [Fact]
    public void A_missing_module_file_is_said_so_and_the_scratch_namespace_is_always_deleted()
    {
        using var root = new FakeRoot();
        root.Write("proc/sys/kernel/osrelease", "6.1.0-test\n");
        root.Write("lib/modules/6.1.0-test/modules.dep", "kernel/net/ipv4/tunnel4.ko: \n");
        var runner = Refusing("Error: Unknown device type.");
        var status = new KernelFeatures(runner, root.Path).Probe(KernelFeature.Ipip);
        Assert.Contains("no ipip module under /lib/modules/6.1.0-test", status.Reason);
        var added = runner.Calls.First().Arguments[2];
        Assert.Equal(["netns", "delete", added], runner.Calls.Last().Arguments);
    }

    /// <summary>A runner on which namespaces come and go but creating a device fails with <paramref name="error"/>.</summary>
    private static ScriptedRunner Refusing(string error) => new((_, args, _) =>
        args[0] == "netns" ? new CommandResult(0, "", "") : new CommandResult(2, "", error + "\n"));

    private sealed class FakeRoot : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("calico-root-").FullName;

        public void Write(string relative, string text)
        {
            var file = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        public void WriteGzip(string relative, string text)
        {
            var file = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            using var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest);
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
