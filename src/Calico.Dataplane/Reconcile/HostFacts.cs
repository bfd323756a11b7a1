using System.Net;
using System.Text.RegularExpressions;
using Calico.Dataplane.Kernel;
using Calico.Routing;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// What only the host's kernel can say and the route plan needs: the interface holding the node's address (the
/// parent of the VXLAN device and of unencapsulated routes) and the host MTU the tunnel MTUs are derived from.
/// </summary>
public sealed record HostFacts
{
    /// <summary>felix's MTUIfacePattern default (felix/config/config_params.go:515).</summary>
    public const string DefaultMtuInterfacePattern = "^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)";

    /// <summary>What felix assumes when no interface matches the pattern (int_dataplane.go:1767-1771).</summary>
    public const int FallbackHostMtu = 1460;

    /// <summary>The node's own address, as the facts were looked up for; null when none was given.</summary>
    public IPAddress? NodeAddress { get; init; }

    /// <summary>The interface holding <see cref="NodeAddress"/>; null when no interface has it.</summary>
    public string? ParentInterface { get; init; }

    /// <summary>The smallest MTU of the running interfaces matching the pattern, or <see cref="FallbackHostMtu"/>.</summary>
    public int HostMtu { get; init; } = FallbackHostMtu;

    /// <summary>No interface matched, so <see cref="HostMtu"/> is felix's assumption, not a measurement.</summary>
    public bool HostMtuAssumed { get; init; } = true;

    /// <summary>The interfaces the host MTU was taken from (those matching the pattern and running).</summary>
    public IReadOnlyList<string> MtuInterfaces { get; init; } = [];

    /// <summary>Reads the facts from the kernel: one read of the links, one of the addresses.</summary>
    public static HostFacts Read(IKernelReader kernel, IPAddress? nodeAddress, string mtuInterfacePattern = DefaultMtuInterfacePattern)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return From(kernel.GetLinks(), nodeAddress is null ? [] : kernel.GetAddresses(), nodeAddress, mtuInterfacePattern);
    }

    /// <summary>The facts from links and addresses already read.</summary>
    public static HostFacts From(IReadOnlyList<Link> links, IReadOnlyList<InterfaceAddress> addresses, IPAddress? nodeAddress,
        string mtuInterfacePattern = DefaultMtuInterfacePattern)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(addresses);
        // felix: the regexp matched unanchored against each name; only links with IFF_RUNNING count (findHostMTU,
        // int_dataplane.go:1731-1773). iproute2 hides IFF_RUNNING; the kernel sets it for an up device whose
        // operational state is UP or UNKNOWN.
        var pattern = new Regex(mtuInterfacePattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        var counted = links.Where(l => pattern.IsMatch(l.Name) && IsRunning(l)).ToList();
        return new HostFacts
        {
            NodeAddress = nodeAddress,
            ParentInterface = nodeAddress is null ? null : addresses.FirstOrDefault(a => a.Prefix.Address.Equals(nodeAddress))?.LinkName,
            HostMtu = counted.Count == 0 ? FallbackHostMtu : counted.Min(l => l.Mtu),
            HostMtuAssumed = counted.Count == 0,
            MtuInterfaces = counted.Select(l => l.Name).ToList(),
        };
    }

    /// <summary>IFF_RUNNING as the kernel computes it (dev_get_flags): administratively up and operationally UP or UNKNOWN.</summary>
    public static bool IsRunning(Link link) =>
        link.IsUp && link.OperationalState is "UP" or "UNKNOWN";

    /// <summary>The settings to plan with: these facts fill in the host MTU and host interface.</summary>
    public RouteSettings ApplyTo(RouteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with { HostMTU = HostMtu, HostInterface = ParentInterface ?? settings.HostInterface };
    }
}
