using System.Net.Sockets;
using Calico.Dataplane.Kernel.Json;

namespace Calico.Dataplane.Kernel;

/// <summary>
/// Turns iproute2's JSON output into typed records: the parsers behind <see cref="IpRoute2Kernel"/>, public so
/// that captured output can be read back (and fed to tests) without a kernel. A value that cannot be read
/// throws <see cref="FormatException"/> naming its place in the output ("[3].addr_info[0].local") and its text.
/// </summary>
public static class IpRoute2Json
{
    /// <summary>`ip -details -json link show`.</summary>
    public static IReadOnlyList<Link> ParseLinks(string json) => LinkJson.Parse(json);

    /// <summary>`ip -json address show`, flattened in the kernel's order (link by link).</summary>
    public static IReadOnlyList<InterfaceAddress> ParseAddresses(string json) => AddressJson.Parse(json);

    /// <summary>`ip -N -details -json -4|-6 route show table all` (names are read too, for output captured without -N).</summary>
    public static IReadOnlyList<Route> ParseRoutes(string json, AddressFamily family) => RouteJson.Parse(json, family);

    /// <summary>`ip -json route get to ADDRESS`.</summary>
    public static RouteLookup ParseRouteLookup(string json, AddressFamily family) => RouteJson.ParseLookup(json, family);

    /// <summary>`ip -json neigh show nud all`.</summary>
    public static IReadOnlyList<Neighbour> ParseNeighbours(string json) => NeighbourJson.Parse(json);

    /// <summary>`bridge -json fdb show`.</summary>
    public static IReadOnlyList<FdbEntry> ParseFdbEntries(string json) => FdbJson.Parse(json);
}
