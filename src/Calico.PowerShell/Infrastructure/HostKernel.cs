using Calico.Dataplane.Kernel;

namespace Calico.PowerShell.Infrastructure;

/// <summary>The kernel a host-side cmdlet works on: this host's, or a named network namespace's (a lab host, a container).</summary>
internal static class HostKernel
{
    public static IpRoute2Kernel For(string? netNamespace) =>
        new(string.IsNullOrEmpty(netNamespace) ? NetworkNamespace.Current : NetworkNamespace.Named(netNamespace));
}
