using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;
using Calico.Routing;
using RouteScope = Calico.Dataplane.Kernel.RouteScope;
using Calico.Tests.Routing;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>
/// The seed lab's node1 (eth0 10.0.2.15/24) as hand-built kernel states, and the plans for it, for pure diff tests.
/// MACs are the VTEP MACs felix derives from the node names (0x66 + SHA-1).
/// </summary>
internal static class SeedKernel
{
    public const string Node1Mac = "66:f9:37:c3:7e:94";
    public const string Node2Mac = "66:2d:bf:44:a6:8b";
    public const string Node3Mac = "66:a4:6f:e0:c4:da";

    public static RoutePlan VxlanPlan(VXLANMode mode = VXLANMode.Always, bool nat = false, IEnumerable<Node>? nodes = null) =>
        SeedLab.Plan("node1", nodes ?? SeedLab.Nodes(),
            [SeedLab.Pool("default-ipv4-ippool", SeedLab.PoolCidr, vxlan: mode, nat: nat)], SeedLab.Blocks(AllocationAttribute.TypeVXLAN));

    public static RoutePlan IpipPlan(IPIPMode mode = IPIPMode.Always) =>
        SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(mode)]);

    /// <summary>node1's kernel with nothing of Calico's: eth0 and its subnet route.</summary>
    public static StaticKernel Bare()
    {
        var kernel = new StaticKernel().Device("eth0", 1500, "10.0.2.15/24");
        kernel.Route(new Route
        {
            Destination = P("10.0.2.0/24"), Device = "eth0", Protocol = RouteProtocol.Kernel, Scope = RouteScope.Link,
            PreferredSource = A("10.0.2.15"),
        });
        return kernel;
    }

    /// <summary>node1's kernel exactly as the VXLAN Always plan wants it.</summary>
    public static StaticKernel VxlanInSync()
    {
        var kernel = Bare().Device(VxlanDevice(), "192.168.1.0/32");
        kernel.Route(new Route { Destination = P("192.168.1.0/26"), Type = RouteType.Blackhole, Protocol = RouteProtocol.Calico });
        kernel.Route(VxlanRoute("192.168.2.0/26", "192.168.2.0"));
        kernel.Route(VxlanRoute("192.168.3.0/26", "192.168.3.0"));
        kernel.Neighbours.Add(Neighbour("192.168.2.0", Node2Mac));
        kernel.Neighbours.Add(Neighbour("192.168.3.0", Node3Mac));
        kernel.Fdb.Add(Fdb(Node2Mac, "10.0.2.10"));
        kernel.Fdb.Add(Fdb(Node3Mac, "10.0.3.20"));
        return kernel;
    }

    public static Link VxlanDevice(string mac = Node1Mac, string parent = "eth0", int vni = 4096, bool learning = false, int mtu = 1450) => new()
    {
        Index = 10, Name = "vxlan.calico", Kind = "vxlan", Mtu = mtu, Flags = ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
        OperationalState = "UNKNOWN", LinkType = "ether", Address = mac,
        Vxlan = new VxlanLinkInfo { Vni = vni, Local = A("10.0.2.15"), Device = parent, Port = 4789, Learning = learning },
    };

    public static Route VxlanRoute(string destination, string gateway, int mtu = 1450) => new()
    {
        Destination = P(destination), Gateway = A(gateway), Device = "vxlan.calico", OnLink = true, Protocol = RouteProtocol.Boot, Mtu = mtu,
    };

    public static Neighbour Neighbour(string address, string mac, string device = "vxlan.calico", NeighbourState state = NeighbourState.Permanent) =>
        new() { Address = A(address), Device = device, LinkLayerAddress = mac, State = state };

    public static FdbEntry Fdb(string mac, string destination, string device = "vxlan.calico") =>
        new() { MacAddress = mac, Device = device, Destination = A(destination), Flags = ["self"], State = "permanent" };

    public static DataplaneDiff Diff(StaticKernel kernel, RoutePlan plan, HostFacts? facts = null) =>
        new DataplaneReconciler(kernel, _ => throw new InvalidOperationException("no probe expected")).Diff(plan, facts);

    /// <summary>The changes as "Kind Object Target" lines, easy to assert on.</summary>
    public static string[] Summary(DataplaneDiff diff) => diff.Changes.Select(c => $"{c.Kind} {c.Object} {c.Target}").ToArray();

    public static IPPrefix P(string text) => IPPrefix.Parse(text);
    public static IPAddress A(string text) => IPAddress.Parse(text);
}
