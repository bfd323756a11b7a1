using Calico.Routing;

namespace Calico.Dataplane.Reconcile;

/// <summary>What happens to a device in this diff, which decides how the entries on it are diffed.</summary>
internal enum DeviceFate
{
    /// <summary>Exists and stays: its entries are compared one by one.</summary>
    Kept,
    /// <summary>Created by this diff: it starts empty.</summary>
    Created,
    /// <summary>Deleted and created again: what was on it goes, what is wanted is added anew.</summary>
    Recreated,
    /// <summary>Deleted: its entries go with it.</summary>
    Deleted,
    /// <summary>Wanted but neither there nor creatable (a problem in the plan, or a foreign device of that name).</summary>
    Unavailable,
}

/// <summary>The state one diff is built in: the plan, the kernel snapshot, and the changes and warnings so far.</summary>
internal sealed class DiffContext
{
    private readonly Dictionary<string, DeviceFate> _fates = new(StringComparer.Ordinal);
    // Devices that lose their last IPv4 address in this diff: the kernel then flushes their IPv4 routes itself.
    private readonly HashSet<string> _losingIPv4 = new(StringComparer.Ordinal);

    public DiffContext(RoutePlan plan, HostFacts facts, KernelSnapshot kernel)
    {
        Plan = plan;
        Facts = facts;
        Kernel = kernel;
    }

    public RoutePlan Plan { get; }
    public HostFacts Facts { get; }
    public KernelSnapshot Kernel { get; }
    public List<DataplaneChange> Changes { get; } = [];
    public List<string> Warnings { get; } = [];

    /// <summary>The plan wants tunl0 and the kernel has no ipip device of that name yet.</summary>
    public bool NeedsIpip { get; set; }

    public void Add(DataplaneChange change) => Changes.Add(change);

    public void Warn(string warning) => Warnings.Add(warning);

    public void SetFate(string device, DeviceFate fate) => _fates[device] = fate;

    public DeviceFate? FateOf(string device) => _fates.TryGetValue(device, out var fate) ? fate : null;

    /// <summary>The device name a plan entry means: the placeholder for the host interface becomes the parent interface.</summary>
    public string? Resolve(string device) => device == PlannedRoute.HostInterface ? Facts.ParentInterface : device;

    /// <summary>Whether the device will be there once the diff is applied.</summary>
    public bool WillExist(string device) => FateOf(device) switch
    {
        DeviceFate.Created or DeviceFate.Recreated or DeviceFate.Kept => true,
        DeviceFate.Deleted or DeviceFate.Unavailable => false,
        _ => Kernel.Links.ContainsKey(device),
    };

    /// <summary>Entries now on the device disappear with it (deleted or recreated).</summary>
    public bool Vanishes(string? device) => device is not null && FateOf(device) is DeviceFate.Deleted or DeviceFate.Recreated;

    /// <summary>Marks a device whose last IPv4 address this diff deletes.</summary>
    public void LosesLastIPv4Address(string device) => _losingIPv4.Add(device);

    /// <summary>
    /// The route disappears without a command of its own: its device goes, or (IPv4) its device loses its last IPv4
    /// address and the kernel flushes the device's routes. Deleting it again would fail and stop the batch.
    /// </summary>
    public bool RouteVanishes(string? device, int family) =>
        Vanishes(device) || (family == 4 && device is not null && _losingIPv4.Contains(device));

    /// <summary>Why a route vanishes, for <see cref="DataplaneChange.CausedBy"/>.</summary>
    public string RouteVanishReason(string device) =>
        Vanishes(device) ? VanishReason(device) : $"{device} loses its last IPv4 address, and the kernel flushes its routes with it";

    /// <summary>The device has nothing on it when the entries are added (created or recreated).</summary>
    public bool StartsEmpty(string device) => FateOf(device) is DeviceFate.Created or DeviceFate.Recreated;

    /// <summary>Why entries on the device vanish, for <see cref="DataplaneChange.CausedBy"/>.</summary>
    public string VanishReason(string device) =>
        FateOf(device) == DeviceFate.Recreated ? $"{device} is recreated" : $"{device} is deleted";
}
