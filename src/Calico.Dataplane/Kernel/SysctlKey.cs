namespace Calico.Dataplane.Kernel;

/// <summary>
/// A kernel parameter under /proc/sys. Held as its path ("net/ipv4/conf/vxlan.calico/proxy_arp") because
/// interface names may contain dots; <see cref="Parse"/> reads both notations sysctl(8) accepts.
/// </summary>
public readonly record struct SysctlKey
{
    private SysctlKey(string path) => Path = path;

    /// <summary>The path below /proc/sys, '/'-separated.</summary>
    public string Path { get; }

    /// <summary>
    /// Reads a key as sysctl(8) does: when its first separator is '/', it is a path; otherwise it is dotted,
    /// and a '/' inside a dotted key stands for a '.' in a name ("net.ipv4.conf.vxlan/calico.proxy_arp").
    /// </summary>
    public static SysctlKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var separator = key.IndexOfAny(['.', '/']);
        var path = separator >= 0 && key[separator] == '.'
            ? string.Join('/', key.Split('.').Select(part => part.Replace('/', '.')))
            : key;
        return FromSegments(path.Split('/'), key);
    }

    /// <summary>A per-interface key such as net.ipv4.conf.&lt;device&gt;.proxy_arp or net.ipv4.neigh.&lt;device&gt;.proxy_delay.</summary>
    public static SysctlKey ForInterface(string area, string device, string name) =>
        FromSegments([.. area.Split('.'), device, name], $"{area}.{device}.{name}");

    private static SysctlKey FromSegments(IReadOnlyList<string> segments, string original)
    {
        if (segments.Count < 2 || segments.Any(s => s.Length == 0 || s == "." || s == ".." || s.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/')))
            throw new ArgumentException($"sysctl key: value \"{original}\": not a kernel parameter name", nameof(original));
        return new SysctlKey(string.Join('/', segments));
    }

    /// <summary>The dotted name sysctl(8) prints, with '.' inside a name shown as '/'.</summary>
    public override string ToString() => string.Join('.', Path.Split('/').Select(part => part.Replace('.', '/')));
}
