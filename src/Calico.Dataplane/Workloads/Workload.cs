using System.Net;
using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Workloads;

/// <summary>A workload plumbed into the host: its namespace, its address, and the two ends of its veth.</summary>
public sealed record Workload
{
    /// <summary>What the interface name is derived from (for a Kubernetes pod, "namespace.pod").</summary>
    public required string WorkloadId { get; init; }

    /// <summary>The host end: the interface prefix and 11 hex digits of SHA-1(workload id), e.g. cali7a4d8bdd0f3.</summary>
    public required string HostInterface { get; init; }

    public required NetworkNamespace Namespace { get; init; }

    /// <summary>The workload end, inside <see cref="Namespace"/>: always eth0.</summary>
    public string Interface { get; init; } = WorkloadPlumber.WorkloadInterface;

    /// <summary>The workload's address; /32 on its eth0, and the host routes it through <see cref="HostInterface"/>.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>The MAC of the workload's eth0, as the kernel chose it.</summary>
    public string? Mac { get; init; }

    public int? Mtu { get; init; }

    public override string ToString() => $"{WorkloadId}: {Address} in {Namespace} via {HostInterface}";
}
