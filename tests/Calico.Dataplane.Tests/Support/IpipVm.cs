using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Tests.Support;

/// <summary>
/// tests/IpipVm: a throwaway VM whose kernel has ipip (this machine's has not). Runs a shell script inside it
/// with one host folder shared read-write, and returns what the script left there.
/// </summary>
internal static class IpipVm
{
    public static readonly string RepositoryRoot = FindRoot();

    private static string VmRun => Path.Combine(RepositoryRoot, "tests", "IpipVm", "vmrun.sh");

    /// <summary>Why the VM cannot run here, or null when it is set up.</summary>
    public static string? MissingRequirement()
    {
        var cache = Environment.GetEnvironmentVariable("CALICO_VM_CACHE") ?? Path.Combine(RepositoryRoot, ".cache", "ipip-vm");
        if (!File.Exists(Path.Combine(cache, "kernel.ver")) || !File.Exists(Path.Combine(cache, "initramfs.cpio")))
            return $"the IP-in-IP VM is not set up at {cache} (run tests/IpipVm/setup.sh as root)";
        return NamespaceFactAttribute.MissingRequirement;
    }

    /// <summary>Runs <paramref name="script"/> (bash) in the VM with <paramref name="folder"/> as its working, shared folder.</summary>
    public static CommandResult Run(string folder, string script)
    {
        File.WriteAllText(Path.Combine(folder, "job.sh"), script);
        var result = ProcessCommandRunner.Instance.Run("bash", [VmRun, "-t", "180", "--rw", folder, "--", "bash", Path.Combine(folder, "job.sh")]);
        if (result.ExitCode != 0)
            throw new KernelCommandException("tests/IpipVm/vmrun.sh ... job.sh", result.ExitCode, result.StandardError + result.StandardOutput);
        return result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Calico.sln"))) return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}

/// <summary>A test that needs the IP-in-IP VM; skipped, saying why, when it is not set up.</summary>
public sealed class IpipVmFactAttribute : FactAttribute
{
    public IpipVmFactAttribute()
    {
        if (IpipVm.MissingRequirement() is { } reason) Skip = reason;
    }
}
