namespace Calico.PowerShell.Infrastructure;

/// <summary>The node name a host-side cmdlet acts for when none is given.</summary>
internal static class HostIdentity
{
    /// <summary>
    /// calico-node's default: the host name, lower-cased (NODENAME overrides it, as in calico-node). For a network
    /// namespace standing in for a host (a lab), the namespace's name.
    /// </summary>
    public static string DefaultNodeName(string? netNamespace) =>
        !string.IsNullOrEmpty(netNamespace) ? netNamespace
        : Environment.GetEnvironmentVariable("NODENAME") is { Length: > 0 } nodeName ? nodeName
        : System.Net.Dns.GetHostName().ToLowerInvariant();
}
