using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Calico.Dataplane.Kernel;
using Calico.Net;

namespace Calico.Dataplane.Workloads;

/// <summary>
/// Plumbs a workload into the host the way Calico's CNI plugin does (cni-plugin/pkg/dataplane/linux/dataplane_linux.go):
/// a veth whose host end is named from the workload id and whose other end is eth0 in the workload's namespace; the
/// address /32 on eth0 with a link route to 169.254.1.1 and the default route through it; the host end up, with
/// proxy ARP answering for 169.254.1.1, and a /32 route to the workload through it. IPAM is the caller's.
/// </summary>
public sealed class WorkloadPlumber
{
    /// <summary>The workload's gateway: a link-local address nobody holds, answered by the host's proxy ARP.</summary>
    public static readonly IPAddress Gateway = IPAddress.Parse("169.254.1.1");

    /// <summary>The host end's MAC (dataplane_linux.go hostSideMAC).</summary>
    public const string HostSideMac = "ee:ee:ee:ee:ee:ee";

    public const string WorkloadInterface = "eth0";

    private readonly IKernel _host;
    private readonly Func<NetworkNamespace, IKernel> _kernelFor;
    private readonly string _prefix;

    /// <param name="host">The host's namespace, where the host ends and routes go.</param>
    /// <param name="interfacePrefix">felix InterfacePrefix; its first prefix names host ends, as Calico's does.</param>
    /// <param name="kernelFor">Reaches a workload's namespace; by default through iproute2.</param>
    public WorkloadPlumber(IKernel host, string interfacePrefix = "cali", Func<NetworkNamespace, IKernel>? kernelFor = null)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _prefix = interfacePrefix.Split(',')[0];
        _kernelFor = kernelFor ?? (ns => new IpRoute2Kernel(ns));
    }

    /// <summary>
    /// The host end's name: the prefix and the first 11 hex digits of SHA-1 of the workload id (Calico's
    /// VethNameForWorkload hashes "namespace.pod" for a Kubernetes pod; libcalico-go k8s/conversion).
    /// </summary>
    public static string HostInterfaceFor(string workloadId, string prefix = "cali")
    {
        ArgumentException.ThrowIfNullOrEmpty(workloadId);
        var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(workloadId))).ToLowerInvariant();
        return prefix + hash[..11];
    }

    /// <summary>
    /// Plumbs the workload into its (existing, named) namespace. A host end left over from an earlier workload of the
    /// same id is deleted first, as the CNI plugin does. If the workload's side fails, the host end is deleted again.
    /// </summary>
    public Workload Add(string workloadId, NetworkNamespace workloadNamespace, IPAddress address, int? mtu = null)
    {
        ArgumentNullException.ThrowIfNull(workloadNamespace);
        ArgumentNullException.ThrowIfNull(address);
        if (workloadNamespace.IsCurrent)
            throw new ArgumentException("workload namespace: a workload needs a named network namespace of its own", nameof(workloadNamespace));
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"address: value \"{address}\": only IPv4 workloads are plumbed (IPv6 needs proxy NDP and a link-local gateway)", nameof(address));
        var hostEnd = HostInterfaceFor(workloadId, _prefix);
        var workload = _kernelFor(workloadNamespace);
        if (workload.GetLinks().Any(l => l.Name == WorkloadInterface))
            throw new InvalidOperationException($"workload namespace {workloadNamespace}: already has an {WorkloadInterface}; remove it or the workload first");

        var host = new KernelBatch();
        if (_host.GetLinks().Any(l => l.Name == hostEnd)) host.DeleteLink(hostEnd);
        host.AddVeth(hostEnd, WorkloadInterface, workloadNamespace, mtu)
            .SetLink(hostEnd, new LinkSettings { MacAddress = HostSideMac, Up = true })
            // The route the CNI plugin adds (SetupRoutes), and felix's own for a local workload: no protocol, so boot.
            .AddRoute(new Route { Destination = new IPPrefix(address, 32), Device = hostEnd, Scope = RouteScope.Link, Protocol = RouteProtocol.Boot })
            // configureSysctls: NAT to the host, proxy ARP at once, forwarding of what the workload sends.
            .SetSysctl(SysctlKey.ForInterface("net.ipv4.conf", hostEnd, "route_localnet"), "1")
            .SetSysctl(SysctlKey.ForInterface("net.ipv4.neigh", hostEnd, "proxy_delay"), "0")
            .SetSysctl(SysctlKey.ForInterface("net.ipv4.conf", hostEnd, "proxy_arp"), "1")
            .SetSysctl(SysctlKey.ForInterface("net.ipv4.conf", hostEnd, "forwarding"), "1");
        _host.Apply(host);

        try
        {
            workload.Apply(new KernelBatch()
                .SetLink(WorkloadInterface, new LinkSettings { Mtu = mtu, Up = true })
                .AddRoute(new Route { Destination = new IPPrefix(Gateway, 32), Device = WorkloadInterface, Scope = RouteScope.Link })
                .AddRoute(new Route { Destination = new IPPrefix(IPAddress.Any, 0), Gateway = Gateway, Device = WorkloadInterface })
                .AddAddress(WorkloadInterface, new IPPrefix(address, 32))
                // configureContainerSysctls: a workload does not forward unless allowed to.
                .SetSysctl(SysctlKey.Parse("net.ipv4.ip_forward"), "0"));
        }
        catch
        {
            _host.Apply(new KernelBatch().DeleteLink(hostEnd));
            throw;
        }

        return new Workload
        {
            WorkloadId = workloadId,
            HostInterface = hostEnd,
            Namespace = workloadNamespace,
            Address = address,
            Mac = workload.GetLinks().FirstOrDefault(l => l.Name == WorkloadInterface)?.Address,
            Mtu = mtu,
        };
    }

    /// <summary>
    /// Unplumbs a workload: deletes its host end, which takes the workload's eth0 and the host route with it.
    /// Returns false when there was no such host end.
    /// </summary>
    public bool Remove(string workloadId)
    {
        var hostEnd = HostInterfaceFor(workloadId, _prefix);
        if (!_host.GetLinks().Any(l => l.Name == hostEnd)) return false;
        var batch = new KernelBatch();
        // The host route first, then the veth, which takes the workload's eth0 with it.
        foreach (var route in _host.GetRoutes(AddressFamily.InterNetwork).Where(r => r.Device == hostEnd && r.Table == RouteTable.Main && r.Protocol != RouteProtocol.Kernel))
            batch.DeleteRoute(route);
        _host.Apply(batch.DeleteLink(hostEnd));
        return true;
    }
}
