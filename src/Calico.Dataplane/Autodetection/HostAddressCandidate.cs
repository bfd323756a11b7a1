using Calico.Net;

namespace Calico.Dataplane.Autodetection;

/// <summary>Why an address was, or was not, taken as the node's address.</summary>
public enum HostAddressVerdict
{
    Selected,
    /// <summary>interface=: the interface's name matches none of the regexes.</summary>
    InterfaceNotIncluded,
    /// <summary>first-found / skip-interface=: the interface matches a default exclusion or a skip regex.</summary>
    InterfaceExcluded,
    /// <summary>IPv6 while detecting IPv4, or the reverse.</summary>
    WrongFamily,
    /// <summary>Loopback, link-local, multicast, unspecified or broadcast.</summary>
    NotGlobalUnicast,
    /// <summary>cidr=: inside none of the CIDRs.</summary>
    OutsideCidrs,
    /// <summary>Eligible, but an address met earlier was selected.</summary>
    NotFirst,
    /// <summary>can-reach=: not the source address the kernel uses for the destination.</summary>
    NotReachSource,
    /// <summary>IP=ADDRESS: not the configured address.</summary>
    NotConfiguredAddress,
    /// <summary>The method failed before it looked at addresses (e.g. can-reach= found no route).</summary>
    NotExamined,
}

/// <summary>One address on one interface, and what autodetection made of it.</summary>
public sealed record HostAddressCandidate
{
    public required string Interface { get; init; }
    public required int InterfaceIndex { get; init; }

    /// <summary>The address with its interface's prefix length: 10.0.2.15/24.</summary>
    public required IPPrefix Address { get; init; }

    public required HostAddressVerdict Verdict { get; init; }

    /// <summary>The reason in words, naming the regex, CIDR or address that decided it.</summary>
    public required string Reason { get; init; }

    public bool Selected => Verdict == HostAddressVerdict.Selected;
}

/// <summary>
/// The outcome of one detection: the address (with its subnet) when one was found, every candidate with its
/// verdict, and otherwise the reason calico-node would give for finding none.
/// </summary>
public sealed record HostAddressDetection
{
    /// <summary>The method as given, e.g. "first-found", "cidr=10.0.2.0/24", or "IP=10.0.2.15".</summary>
    public required string Method { get; init; }

    /// <summary>4 or 6.</summary>
    public required int IPVersion { get; init; }

    /// <summary>The node address with its prefix (10.0.2.15/24), or null when none was found.</summary>
    public IPPrefix? Address { get; init; }

    /// <summary>The interface carrying <see cref="Address"/>; null when none does (an IP= value on no interface).</summary>
    public string? Interface { get; init; }

    public IReadOnlyList<HostAddressCandidate> Candidates { get; init; } = [];

    /// <summary>Why no address was found; null when one was.</summary>
    public string? Error { get; init; }

    /// <summary>What calico-node would warn about although an address was found (e.g. it is on no interface).</summary>
    public string? Warning { get; init; }

    public bool Found => Address is not null;
}
