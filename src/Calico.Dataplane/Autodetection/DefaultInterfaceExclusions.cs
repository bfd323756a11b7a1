namespace Calico.Dataplane.Autodetection;

/// <summary>
/// The interfaces calico-node never autodetects an address on with first-found or skip-interface
/// (node/pkg/lifecycle/startup/autodetection/autodetection_linux.go, DEFAULT_INTERFACES_TO_EXCLUDE):
/// container bridges, veths, Calico's and other CNIs' own devices, loopback.
/// </summary>
public static class DefaultInterfaceExclusions
{
    public static IReadOnlyList<string> Patterns { get; } =
    [
        "^docker.*", "^cbr.*", "^dummy.*", "^podman.*",
        "^virbr.*", "^lxcbr.*", "^veth.*", "^lo", "^br-.*",
        "^cali.*", "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*",
        @"^vxlan\.calico.*", @"^vxlan-v6\.calico.*", @"^wireguard\.cali.*", @"^wg-v6\.cali.*",
        "^nodelocaldns.*",
    ];
}
