using System.Net;

namespace Calico.Dataplane.Kernel;

/// <summary>What the kernel would do with a packet to <see cref="Destination"/> (`ip route get`).</summary>
public sealed record RouteLookup
{
    public required IPAddress Destination { get; init; }
    public RouteType Type { get; init; } = RouteType.Unicast;
    public IPAddress? Gateway { get; init; }
    public string? Device { get; init; }

    /// <summary>The source address a socket connected to the destination would get.</summary>
    public IPAddress? PreferredSource { get; init; }
}
