using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Routing;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// The kernel state a diff is computed against, read once: one command per kind of object, and only the kinds the
/// plan can touch. Indexed for the diff; nothing here decides anything.
/// </summary>
internal sealed class KernelSnapshot
{
    /// <summary>The tables Calico owns: one per family, named as felix's nftables mode names them (int_dataplane.go:724-731).</summary>
    public static readonly NftablesTable[] CalicoTables = [new("ip", "calico"), new("ip6", "calico")];

    private KernelSnapshot() { }

    public required IReadOnlyDictionary<string, Link> Links { get; init; }
    public required ILookup<string, InterfaceAddress> Addresses { get; init; }
    /// <summary>Routes of the main table, IPv4 then IPv6.</summary>
    public required IReadOnlyList<Route> MainRoutes { get; init; }
    public required ILookup<string, Neighbour> Neighbours { get; init; }
    public required ILookup<string, FdbEntry> FdbEntries { get; init; }
    public required IReadOnlyDictionary<SysctlKey, string> Sysctls { get; init; }
    /// <summary>Calico's own tables that exist, with nft's listing of each.</summary>
    public required IReadOnlyDictionary<NftablesTable, string> NftablesTables { get; init; }
    /// <summary>Why the nftables tables could not be read, when they could not.</summary>
    public string? NftablesProblem { get; init; }

    public static KernelSnapshot Read(IKernelReader kernel, RoutePlan plan, IEnumerable<SysctlKey> sysctls)
    {
        var links = kernel.GetLinks();
        var vxlanInPlay = plan.Devices.Any(d => d.Kind == TunnelKind.VXLAN && d.Action == TunnelDeviceAction.Configure)
            || links.Any(l => l.Kind == "vxlan");
        var routes = new List<Route>(kernel.GetRoutes(AddressFamily.InterNetwork).Where(r => r.Table == RouteTable.Main));
        if (plan.Settings.IPv6Support) routes.AddRange(kernel.GetRoutes(AddressFamily.InterNetworkV6).Where(r => r.Table == RouteTable.Main));

        var tables = new Dictionary<NftablesTable, string>();
        string? nftProblem = null;
        try
        {
            foreach (var table in kernel.GetNftablesTables().Where(CalicoTables.Contains))
            {
                if (kernel.GetNftablesTable(table) is { } listing) tables[table] = listing;
            }
        }
        catch (KernelCommandException e) when (!plan.Nat.Any(n => n.Masquerades))
        {
            // Without natOutgoing nothing must be written; a missing nft only means no table of ours can be checked.
            nftProblem = e.Message;
        }

        return new KernelSnapshot
        {
            Links = links.ToDictionary(l => l.Name, StringComparer.Ordinal),
            Addresses = kernel.GetAddresses().ToLookup(a => a.LinkName, StringComparer.Ordinal),
            MainRoutes = routes,
            Neighbours = (vxlanInPlay ? kernel.GetNeighbours() : []).ToLookup(n => n.Device, StringComparer.Ordinal),
            FdbEntries = (vxlanInPlay ? kernel.GetFdbEntries() : []).ToLookup(f => f.Device, StringComparer.Ordinal),
            Sysctls = kernel.GetSysctls(sysctls),
            NftablesTables = tables,
            NftablesProblem = nftProblem,
        };
    }
}
