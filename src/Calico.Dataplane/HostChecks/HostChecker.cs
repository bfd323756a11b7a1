using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Net;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Dataplane.HostChecks;

/// <summary>
/// Test-CalicoHost: what keeps Calico from working on this host, beyond `calicoctl node checksystem` — the kernel's
/// ipip, VXLAN and nftables support, tunnel MTUs against the host's, IP forwarding, and the node's stored address and
/// subnet against the host's real ones. One finding per problem; none when all is well.
/// </summary>
public sealed class HostChecker
{
    private readonly IKernelReader _kernel;
    private readonly Func<KernelFeature, KernelFeatureStatus> _probe;

    /// <param name="kernel">The host's namespace.</param>
    /// <param name="probe">Tells whether the kernel supports a feature; by default <see cref="KernelFeatures.Probe"/>.</param>
    public HostChecker(IKernelReader kernel, Func<KernelFeature, KernelFeatureStatus>? probe = null)
    {
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        _probe = probe ?? (feature => new KernelFeatures().Probe(feature));
    }

    /// <param name="node">This host's node, as stored.</param>
    /// <param name="settings">The felix settings (tunnel MTUs, interface prefix); defaults when null.</param>
    /// <param name="plan">This node's route plan, when known: it says which kernel features are needed and which MTUs are planned.</param>
    public IReadOnlyList<HostFinding> Check(Node node, RouteSettings? settings = null, RoutePlan? plan = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var links = _kernel.GetLinks();
        var addresses = _kernel.GetAddresses();
        var context = new HostCheckContext
        {
            Node = node,
            Settings = settings ?? plan?.Settings ?? RouteSettings.Default,
            Plan = plan,
            Facts = HostFacts.From(links, addresses, NodeAddress(node)),
            Links = links,
            Addresses = addresses,
            Kernel = _kernel,
            Probe = _probe,
        };
        KernelSupportCheck.Run(context);
        MtuCheck.Run(context);
        ForwardingCheck.Run(context);
        NodeAddressCheck.Run(context);
        return context.Findings;
    }

    private static IPAddress? NodeAddress(Node node) =>
        IPPrefix.TryParseAddressOrPrefix(node.IPv4Address, out var prefix, out _) ? prefix.Address : null;
}
