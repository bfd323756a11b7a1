using Calico.Dataplane.Kernel;
using Calico.Net;

namespace Calico.Dataplane.Autodetection;

/// <summary>A device and its addresses (host bits and prefix kept), as calico-node's autodetection sees them.</summary>
public sealed record HostInterface(int Index, string Name, IReadOnlyList<IPPrefix> Addresses)
{
    /// <summary>
    /// Joins links and addresses the way calico-node does: links in the kernel's order (devices without
    /// addresses included), each with its addresses in the kernel's order.
    /// </summary>
    public static IReadOnlyList<HostInterface> FromKernel(IReadOnlyList<Link> links, IReadOnlyList<InterfaceAddress> addresses)
    {
        var byIndex = addresses.ToLookup(a => a.LinkIndex, a => a.Prefix);
        return links.Select(link => new HostInterface(link.Index, link.Name, byIndex[link.Index].ToArray())).ToArray();
    }
}
