namespace Calico.Ipam;

/// <summary>
/// Cluster-wide IPAM settings stored at /calico/ipam/v2/config (libcalico-go model/ipam_config.go). When nothing is
/// stored, <see cref="Default"/> applies and nothing is written: reading never creates the key, as in Calico.
/// </summary>
public sealed record IpamConfig
{
    /// <summary>The per-host block limit Calico uses when neither the config nor the request sets one.</summary>
    public const int DefaultMaxBlocksPerHost = 20;

    /// <summary>Calico's defaults: no strict affinity, blocks allocated automatically, KubeVirt persistence on.</summary>
    public static IpamConfig Default { get; } = new() { AutoAllocateBlocks = true, KubeVirtVMAddressPersistence = "Enabled" };

    /// <summary>A host may only use addresses from blocks affine to it; no borrowing.</summary>
    public bool StrictAffinity { get; init; }
    /// <summary>Hosts claim new blocks as they need them. A stored config that omits the field means false, as in Go.</summary>
    public bool AutoAllocateBlocks { get; init; }
    /// <summary>0 means unset: <see cref="DefaultMaxBlocksPerHost"/> applies.</summary>
    public int MaxBlocksPerHost { get; init; }
    public string? KubeVirtVMAddressPersistence { get; init; }
    /// <summary>How long a released address stays unusable; 0 frees it at once.</summary>
    public int IPCooldownSeconds { get; init; }
    /// <summary>True when the values were read from the datastore rather than defaulted.</summary>
    public bool IsStored { get; init; }
}
