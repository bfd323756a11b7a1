using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Net;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>
/// A kernel state built by hand for pure diff tests: links, addresses, routes, neighbours, FDB entries, sysctls and
/// nftables listings. Applying records the batches and scripts instead of changing anything.
/// </summary>
internal sealed class StaticKernel : IKernel
{
    public List<Link> Links { get; } = [];
    public List<InterfaceAddress> Addresses { get; } = [];
    public List<Route> Routes { get; } = [];
    public List<Neighbour> Neighbours { get; } = [];
    public List<FdbEntry> Fdb { get; } = [];
    public Dictionary<SysctlKey, string> Sysctls { get; } = new() { [SysctlKey.Parse("net.ipv4.ip_forward")] = "1" };
    public Dictionary<NftablesTable, string> Tables { get; } = [];

    public List<KernelBatch> Batches { get; } = [];
    public List<string> Scripts { get; } = [];

    /// <summary>When set, Apply throws it instead of recording the batch.</summary>
    public KernelCommandException? Failure { get; set; }

    public NetworkNamespace Namespace => NetworkNamespace.Current;

    /// <summary>A running Ethernet-like device with the given addresses.</summary>
    public StaticKernel Device(string name, int mtu = 1500, params string[] addresses) =>
        Device(new Link { Index = Links.Count + 1, Name = name, Mtu = mtu, Flags = ["UP", "LOWER_UP"], OperationalState = "UP" }, addresses);

    public StaticKernel Device(Link link, params string[] addresses)
    {
        Links.Add(link);
        foreach (var address in addresses)
            Addresses.Add(new InterfaceAddress { LinkIndex = link.Index, LinkName = link.Name, Prefix = IPPrefix.Parse(address) });
        return this;
    }

    public StaticKernel Route(Route route)
    {
        Routes.Add(route);
        return this;
    }

    public IReadOnlyList<Link> GetLinks() => Links;
    public IReadOnlyList<InterfaceAddress> GetAddresses() => Addresses;

    public IReadOnlyList<Route> GetRoutes(AddressFamily family) =>
        Routes.Where(r => r.Destination.Address.AddressFamily == family).Select(r => r with { Scope = r.Scope ?? RouteScope.Universe }).ToList();

    public IReadOnlyList<Neighbour> GetNeighbours() => Neighbours;
    public IReadOnlyList<FdbEntry> GetFdbEntries() => Fdb;

    public IReadOnlyDictionary<SysctlKey, string> GetSysctls(IEnumerable<SysctlKey> keys) =>
        keys.Where(Sysctls.ContainsKey).ToDictionary(k => k, k => Sysctls[k]);

    public RouteLookup LookupRoute(IPAddress destination) => throw new NotSupportedException();
    public IReadOnlyList<NftablesTable> GetNftablesTables() => [.. Tables.Keys];
    public string? GetNftablesTable(NftablesTable table) => Tables.GetValueOrDefault(table);

    public void Apply(KernelBatch batch)
    {
        if (Failure is not null) throw Failure;
        Batches.Add(batch);
    }

    public void ApplyNftables(string script) => Scripts.Add(script);
}
