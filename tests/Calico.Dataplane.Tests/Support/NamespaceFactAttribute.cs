using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Tests.Support;

/// <summary>A test that builds network namespaces: it needs Linux, root and iproute2, and says which is missing when skipped.</summary>
public sealed class NamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(FindMissing);

    public NamespaceFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }

    internal static string? MissingRequirement => Missing.Value;

    private static string? FindMissing()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        try
        {
            if (ProcessCommandRunner.Instance.Run("id", ["-u"]).StandardOutput.Trim() != "0") return "network namespaces need root";
            return ProcessCommandRunner.Instance.Run("ip", ["-V"]).ExitCode == 0 ? null : "iproute2 (ip) does not run";
        }
        catch (KernelCommandException e)
        {
            return e.Message;
        }
    }
}

/// <summary>A theory that builds network namespaces; see <see cref="NamespaceFactAttribute"/>.</summary>
public sealed class NamespaceTheoryAttribute : TheoryAttribute
{
    public NamespaceTheoryAttribute()
    {
        if (NamespaceFactAttribute.MissingRequirement is { } reason) Skip = reason;
    }
}
