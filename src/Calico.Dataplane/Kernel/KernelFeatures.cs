using System.IO.Compression;
using System.Security.Cryptography;

namespace Calico.Dataplane.Kernel;

/// <summary>What the dataplane needs from the kernel.</summary>
public enum KernelFeature
{
    /// <summary>IP-in-IP tunnels (the ipip module; Calico's tunl0).</summary>
    Ipip,
    /// <summary>VXLAN devices (Calico's vxlan.calico).</summary>
    Vxlan,
    /// <summary>nf_tables and the nft tool, for NAT.</summary>
    Nftables,
}

/// <summary>Whether a feature works here, and why (or why not), in words a user can act on.</summary>
public sealed record KernelFeatureStatus(KernelFeature Feature, bool Available, string Reason);

/// <summary>
/// Finds out whether the kernel can do something by doing it: creating a device of that kind (which also
/// loads its module on demand) or an nftables table, in a throwaway network namespace that is deleted
/// afterwards. When that fails, the kernel's configuration and module files explain why.
/// </summary>
public sealed class KernelFeatures
{
    private readonly ICommandRunner _runner;
    private readonly string _root;

    /// <param name="fileSystemRoot">Where /proc, /boot and /lib/modules are found; tests point it at a fake tree.</param>
    public KernelFeatures(ICommandRunner? runner = null, string fileSystemRoot = "/")
    {
        _runner = runner ?? ProcessCommandRunner.Instance;
        _root = fileSystemRoot;
    }

    public KernelFeatureStatus Probe(KernelFeature feature)
    {
        var scratch = NetworkNamespace.Named($"calico-probe-{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}");
        CommandResult created;
        try { created = _runner.Run("ip", ["netns", "add", scratch.Name!]); }
        catch (KernelCommandException e) { return new(feature, false, $"cannot test {Describe(feature)}: {e.StandardError} (package iproute2)"); }
        if (created.ExitCode != 0)
            return new(feature, false, $"cannot create a scratch network namespace to test {Describe(feature)}: {created.StandardError.Trim()}");
        try
        {
            var trial = feature switch
            {
                // Distinct endpoints: where ipip is loaded every namespace already has the fallback tunl0 (any/any), and a
                // second any/any tunnel would be refused with "File exists" on exactly the kernels that have ipip.
                KernelFeature.Ipip => _runner.Run("ip", ["-n", scratch.Name!, "link", "add", "name", "calico-probe", "type", "ipip", "local", "192.0.2.1", "remote", "192.0.2.2"]),
                KernelFeature.Vxlan => _runner.Run("ip", ["-n", scratch.Name!, "link", "add", "name", "calico-probe", "type", "vxlan", "id", "4096", "dstport", "4789"]),
                KernelFeature.Nftables => RunNft(scratch),
                _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
            };
            if (trial.ExitCode == 0) return new(feature, true, $"{Describe(feature)} works: created one in a scratch network namespace");
            return new(feature, false, $"{Describe(feature)} is not available: {Explain(feature, trial.StandardError.Trim())}");
        }
        finally
        {
            _runner.Run("ip", ["netns", "delete", scratch.Name!]);
        }
    }

    // A missing nft binary shows as `exec of "nft" failed` from ip netns exec, explained below.
    private CommandResult RunNft(NetworkNamespace scratch) =>
        _runner.Run("ip", ["netns", "exec", scratch.Name!, "nft", "-f", "-"], "table ip calico_probe {}\n");

    private static string Describe(KernelFeature feature) => feature switch
    {
        KernelFeature.Ipip => "an ipip (IP-in-IP) device",
        KernelFeature.Vxlan => "a VXLAN device",
        _ => "an nftables table",
    };

    private string Explain(KernelFeature feature, string error)
    {
        var (module, config) = feature switch
        {
            KernelFeature.Ipip => ("ipip", "CONFIG_NET_IPIP"),
            KernelFeature.Vxlan => ("vxlan", "CONFIG_VXLAN"),
            _ => ("nf_tables", "CONFIG_NF_TABLES"),
        };
        var reasons = new List<string> { $"the kernel said \"{error}\"" };
        var release = ReadFirstLine("proc/sys/kernel/osrelease");
        var setting = ReadKernelConfig(release, config);
        if (setting is not null) reasons.Add(setting == "n" ? $"{config} is not set in the kernel's configuration" : $"{config}={setting} in the kernel's configuration");
        if (release is not null)
        {
            var modules = Path.Combine(_root, "lib", "modules", release);
            if (!Directory.Exists(modules)) reasons.Add($"there is no module directory /lib/modules/{release}");
            else if (!ModuleFileExists(modules, module)) reasons.Add($"no {module} module under /lib/modules/{release}");
            else reasons.Add($"the {module} module is installed but did not load (is modprobe available?)");
        }
        if (feature == KernelFeature.Nftables && error.Contains("exec of \"nft\" failed", StringComparison.Ordinal))
            reasons.Add("the nft tool (package nftables) is not installed");
        return string.Join("; ", reasons);
    }

    /// <summary>"y", "m", "n" (for "is not set"), or null when no configuration can be found.</summary>
    private string? ReadKernelConfig(string? release, string option)
    {
        IEnumerable<string>? lines = null;
        var gz = Path.Combine(_root, "proc", "config.gz");
        if (File.Exists(gz))
        {
            try
            {
                using var reader = new StreamReader(new GZipStream(File.OpenRead(gz), CompressionMode.Decompress));
                lines = reader.ReadToEnd().Split('\n');
            }
            catch (IOException) { }
            catch (InvalidDataException) { }
        }
        if (lines is null && release is not null && File.Exists(Path.Combine(_root, "boot", "config-" + release)))
            lines = File.ReadAllLines(Path.Combine(_root, "boot", "config-" + release));
        if (lines is null) return null;
        foreach (var line in lines)
        {
            if (line.StartsWith(option + "=", StringComparison.Ordinal)) return line[(option.Length + 1)..];
            if (line == $"# {option} is not set") return "n";
        }
        return "n";
    }

    private static bool ModuleFileExists(string modulesDirectory, string module)
    {
        foreach (var list in new[] { "modules.dep", "modules.builtin" })
        {
            var path = Path.Combine(modulesDirectory, list);
            if (!File.Exists(path)) continue;
            foreach (var line in File.ReadLines(path))
            {
                var file = line.Split(':', 2)[0];
                var name = Path.GetFileName(file);
                if (name.StartsWith(module + ".ko", StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }

    private string? ReadFirstLine(string relativePath)
    {
        var path = Path.Combine(_root, relativePath);
        try { return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null; }
        catch (IOException) { return null; }
    }
}
