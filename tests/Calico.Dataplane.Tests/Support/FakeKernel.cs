using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Tests.Support;

/// <summary>A kernel reader fed with fixed links and addresses (and a route lookup), for pure autodetection tests.</summary>
internal sealed class FakeKernel : IKernelReader
{
    private readonly List<Link> _links = [];
    private readonly List<InterfaceAddress> _addresses = [];

    public NetworkNamespace Namespace => NetworkNamespace.Current;

    /// <summary>What <see cref="LookupRoute"/> answers; it throws like `ip route get` with no route when null.</summary>
    public Func<IPAddress, RouteLookup>? Routes { get; set; }

    /// <summary>Adds an interface with the next index and the given "address/length" addresses.</summary>
    public FakeKernel Interface(string name, params string[] addresses) => Interface(name, _links.Count + 1, addresses);

    public FakeKernel Interface(string name, int index, params string[] addresses)
    {
        _links.Add(new Link { Index = index, Name = name });
        foreach (var address in addresses)
            _addresses.Add(new InterfaceAddress { LinkIndex = index, LinkName = name, Prefix = Calico.Net.IPPrefix.Parse(address) });
        return this;
    }

    public IReadOnlyList<Link> GetLinks() => _links;
    public IReadOnlyList<InterfaceAddress> GetAddresses() => _addresses;

    public RouteLookup LookupRoute(IPAddress destination) =>
        Routes?.Invoke(destination) ?? throw new KernelCommandException($"ip route get to {destination}", 2, "RTNETLINK answers: Network is unreachable");

    public IReadOnlyList<Route> GetRoutes(AddressFamily family) => throw new NotSupportedException();
    public IReadOnlyList<Neighbour> GetNeighbours() => throw new NotSupportedException();
    public IReadOnlyList<FdbEntry> GetFdbEntries() => throw new NotSupportedException();
    public IReadOnlyDictionary<SysctlKey, string> GetSysctls(IEnumerable<SysctlKey> keys) => throw new NotSupportedException();
    public IReadOnlyList<NftablesTable> GetNftablesTables() => throw new NotSupportedException();
    public string? GetNftablesTable(NftablesTable table) => throw new NotSupportedException();
}
