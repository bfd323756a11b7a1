namespace Calico.Dataplane.HostChecks;

public enum HostFindingSeverity
{
    /// <summary>Worth knowing; nothing is broken.</summary>
    Information,
    /// <summary>Works, but not as intended (a /32 node address makes CrossSubnet encapsulate everything).</summary>
    Warning,
    /// <summary>Calico networking cannot work as planned until this is fixed.</summary>
    Error,
}

/// <summary>One problem <see cref="HostChecker"/> found on the host, with what to do about it.</summary>
public sealed record HostFinding(HostFindingSeverity Severity, string Check, string Message, string Fix)
{
    /// <summary>The checks, as <see cref="Check"/> names them.</summary>
    public const string Ipip = "ipip", Vxlan = "vxlan", Nftables = "nftables", Mtu = "mtu", Forwarding = "forwarding", NodeAddress = "node-address";

    public override string ToString() => $"{Severity} [{Check}]: {Message} Fix: {Fix}";
}
