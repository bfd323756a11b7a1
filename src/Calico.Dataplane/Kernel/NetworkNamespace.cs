namespace Calico.Dataplane.Kernel;

/// <summary>
/// The network namespace a kernel operation runs in: the current one (the process's own), or a named one
/// as `ip netns add` creates it under /run/netns. Every read and write takes one, so the same code serves
/// the host and the namespaces of a lab or a workload.
/// </summary>
public sealed record NetworkNamespace
{
    private NetworkNamespace(string? name) => Name = name;

    /// <summary>The namespace this process runs in.</summary>
    public static NetworkNamespace Current { get; } = new((string?)null);

    /// <summary>Null for <see cref="Current"/>.</summary>
    public string? Name { get; }

    public bool IsCurrent => Name is null;

    /// <summary>A namespace by its /run/netns name; the name is checked as `ip netns` checks it.</summary>
    public static NetworkNamespace Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name == "." || name == ".." || name.Contains('/') || name.Any(char.IsWhiteSpace)
            || name.Any(char.IsControl))
            throw new ArgumentException($"network namespace: value \"{name}\": not a namespace name (empty, '.', '..', '/' or whitespace)", nameof(name));
        return new NetworkNamespace(name);
    }

    /// <summary>The arguments that make `ip` or `bridge` act in this namespace: `-n NAME`, or none.</summary>
    internal IReadOnlyList<string> IpArguments => Name is null ? [] : ["-n", Name];

    /// <summary>Runs <paramref name="file"/> inside this namespace: through `ip netns exec NAME` when named.</summary>
    internal (string File, IReadOnlyList<string> Arguments) Exec(string file, IReadOnlyList<string> arguments) =>
        Name is null ? (file, arguments) : ("ip", ["netns", "exec", Name, file, .. arguments]);

    public override string ToString() => Name ?? "(current)";
}
