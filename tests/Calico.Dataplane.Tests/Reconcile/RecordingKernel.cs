using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>A real kernel that also records every batch and nft script it is given, to count the processes a sync uses.</summary>
internal sealed class RecordingKernel(IKernel inner) : IKernel
{
    public List<KernelBatch> Batches { get; } = [];
    public List<string> Scripts { get; } = [];

    public NetworkNamespace Namespace => inner.Namespace;
    public IReadOnlyList<Link> GetLinks() => inner.GetLinks();
    public IReadOnlyList<InterfaceAddress> GetAddresses() => inner.GetAddresses();
    public IReadOnlyList<Route> GetRoutes(AddressFamily family) => inner.GetRoutes(family);
    public IReadOnlyList<Neighbour> GetNeighbours() => inner.GetNeighbours();
    public IReadOnlyList<FdbEntry> GetFdbEntries() => inner.GetFdbEntries();
    public IReadOnlyDictionary<SysctlKey, string> GetSysctls(IEnumerable<SysctlKey> keys) => inner.GetSysctls(keys);
    public RouteLookup LookupRoute(IPAddress destination) => inner.LookupRoute(destination);
    public IReadOnlyList<NftablesTable> GetNftablesTables() => inner.GetNftablesTables();
    public string? GetNftablesTable(NftablesTable table) => inner.GetNftablesTable(table);

    public void Apply(KernelBatch batch)
    {
        Batches.Add(batch);
        inner.Apply(batch);
    }

    public void ApplyNftables(string script)
    {
        Scripts.Add(script);
        inner.ApplyNftables(script);
    }
}
