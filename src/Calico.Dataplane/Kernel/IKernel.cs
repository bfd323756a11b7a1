using System.Net;
using System.Net.Sockets;

namespace Calico.Dataplane.Kernel;

/// <summary>
/// Reads the kernel's network state in one network namespace. Each method is one snapshot of one kind of
/// object, taken by one command, never one command per object. Tests feed their own implementation.
/// </summary>
public interface IKernelReader
{
    NetworkNamespace Namespace { get; }

    IReadOnlyList<Link> GetLinks();

    /// <summary>Every address, link by link in the kernel's order.</summary>
    IReadOnlyList<InterfaceAddress> GetAddresses();

    /// <summary>Every route of one family, in every table.</summary>
    IReadOnlyList<Route> GetRoutes(AddressFamily family);

    /// <summary>Every neighbour entry of both families, in every NUD state.</summary>
    IReadOnlyList<Neighbour> GetNeighbours();

    IReadOnlyList<FdbEntry> GetFdbEntries();

    /// <summary>The values of the keys that exist; keys the kernel does not have are left out.</summary>
    IReadOnlyDictionary<SysctlKey, string> GetSysctls(IEnumerable<SysctlKey> keys);

    /// <summary>
    /// The route, and so the source address, the kernel would use for a UDP packet to port 80 of
    /// <paramref name="destination"/>: what a connected UDP socket would be given (calico-node's can-reach).
    /// </summary>
    /// <exception cref="KernelCommandException">No route (the message carries the kernel's reason).</exception>
    RouteLookup LookupRoute(IPAddress destination);

    /// <summary>The nftables tables, as (family, name).</summary>
    IReadOnlyList<NftablesTable> GetNftablesTables();

    /// <summary>One table in nft's own syntax, or null when it does not exist.</summary>
    string? GetNftablesTable(NftablesTable table);
}

/// <summary>Reads and changes the kernel's network state in one network namespace.</summary>
public interface IKernel : IKernelReader
{
    /// <summary>Applies a batch: one `ip -batch`, one `bridge -batch`, then the sysctls.</summary>
    /// <exception cref="KernelCommandException">A change failed; it names the command and the failing line,
    /// before which every change of that command was applied.</exception>
    void Apply(KernelBatch batch);

    /// <summary>Runs an nft script as one transaction (`nft -f -`): all of it takes effect, or none.</summary>
    void ApplyNftables(string script);
}

/// <summary>An nftables table: its family ("ip", "ip6", "inet", ...) and name.</summary>
public sealed record NftablesTable(string Family, string Name)
{
    public override string ToString() => $"{Family} {Name}";
}
