using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Reconcile;

/// <summary>The plan needs something this kernel cannot do (IP-in-IP without the ipip module); nothing was changed.</summary>
public sealed class KernelFeatureMissingException : Exception
{
    public KernelFeatureMissingException(KernelFeatureStatus status)
        : base(Describe(status))
    {
        Status = status;
    }

    public KernelFeatureStatus Status { get; }

    public KernelFeature Feature => Status.Feature;

    private static string Describe(KernelFeatureStatus status) => status.Feature switch
    {
        KernelFeature.Ipip => "the route plan uses IP-in-IP, but this kernel has no ipip support: load the ipip module (modprobe ipip), "
            + $"or use a kernel built with CONFIG_NET_IPIP; nothing was changed. ({status.Reason})",
        KernelFeature.Vxlan => "the route plan uses VXLAN, but this kernel has no vxlan support: load the vxlan module (modprobe vxlan), "
            + $"or use a kernel built with CONFIG_VXLAN; nothing was changed. ({status.Reason})",
        _ => "the route plan uses natOutgoing, but nftables does not work here: load nf_tables (modprobe nf_tables) and install nft; "
            + $"nothing was changed. ({status.Reason})",
    };
}
