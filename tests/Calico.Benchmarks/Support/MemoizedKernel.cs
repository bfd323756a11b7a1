using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;

namespace Calico.Benchmarks;

/// <summary>
/// A kernel whose reads are answered once by another and then from memory: with it a diff measures comparison only,
/// not reading or parsing. Writes are refused.
/// </summary>
public sealed class MemoizedKernel(IKernel inner) : IKernel
{
    private readonly Dictionary<string, object> _answers = new(StringComparer.Ordinal);

    public NetworkNamespace Namespace => inner.Namespace;
    public IReadOnlyList<Link> GetLinks() => Once("links", inner.GetLinks);
    public IReadOnlyList<InterfaceAddress> GetAddresses() => Once("addresses", inner.GetAddresses);
    public IReadOnlyList<Route> GetRoutes(AddressFamily family) => Once("routes " + family, () => inner.GetRoutes(family));
    public IReadOnlyList<Neighbour> GetNeighbours() => Once("neighbours", inner.GetNeighbours);
    public IReadOnlyList<FdbEntry> GetFdbEntries() => Once("fdb", inner.GetFdbEntries);

    public IReadOnlyDictionary<SysctlKey, string> GetSysctls(IEnumerable<SysctlKey> keys)
    {
        var wanted = keys.ToList();
        return Once("sysctls " + string.Join(' ', wanted), () => inner.GetSysctls(wanted));
    }

    public RouteLookup LookupRoute(IPAddress destination) => Once("lookup " + destination, () => inner.LookupRoute(destination));
    public IReadOnlyList<NftablesTable> GetNftablesTables() => Once("nft tables", inner.GetNftablesTables);
    public string? GetNftablesTable(NftablesTable table) => Once<string?>("nft " + table, () => inner.GetNftablesTable(table));

    public void Apply(KernelBatch batch) => throw new InvalidOperationException("a memoized kernel is read-only");
    public void ApplyNftables(string script) => throw new InvalidOperationException("a memoized kernel is read-only");

    private T Once<T>(string what, Func<T> read)
    {
        if (_answers.TryGetValue(what, out var known)) return (T)known;
        var value = read();
        _answers[what] = value!;
        return value;
    }
}
