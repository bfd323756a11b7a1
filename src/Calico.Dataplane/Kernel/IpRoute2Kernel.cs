using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Calico.Dataplane.Kernel;

/// <summary>
/// The kernel, reached through iproute2 (`ip`, `bridge`), `nft` and /proc/sys, in one network namespace.
/// Reads use iproute2's JSON mode, one command per kind of object; writes go through `ip -batch -`,
/// `bridge -batch -` and `nft -f -`, one process per tool for a whole batch.
/// </summary>
public sealed partial class IpRoute2Kernel : IKernel
{
    private readonly ICommandRunner _runner;

    public IpRoute2Kernel(NetworkNamespace? networkNamespace = null, ICommandRunner? runner = null)
    {
        Namespace = networkNamespace ?? NetworkNamespace.Current;
        _runner = runner ?? ProcessCommandRunner.Instance;
    }

    public NetworkNamespace Namespace { get; }

    public IReadOnlyList<Link> GetLinks() => IpRoute2Json.ParseLinks(Ip("-details", "-json", "link", "show"));

    public IReadOnlyList<InterfaceAddress> GetAddresses() => IpRoute2Json.ParseAddresses(Ip("-json", "address", "show"));

    // -N: protocols, scopes, tables and types as numbers, whatever names /etc/iproute2 gives them.
    public IReadOnlyList<Route> GetRoutes(AddressFamily family) =>
        IpRoute2Json.ParseRoutes(Ip("-N", "-details", "-json", FamilyOption(family), "route", "show", "table", "all"), family);

    public IReadOnlyList<Neighbour> GetNeighbours() => IpRoute2Json.ParseNeighbours(Ip("-json", "neigh", "show", "nud", "all"));

    public IReadOnlyList<FdbEntry> GetFdbEntries() => IpRoute2Json.ParseFdbEntries(Run("bridge", [.. Namespace.IpArguments, "-json", "fdb", "show"]));

    public RouteLookup LookupRoute(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var family = destination.AddressFamily;
        // The flow of calico-node's can-reach dial: UDP to port 80.
        var json = Ip(FamilyOption(family), "-json", "route", "get", "to", destination.ToString(), "ipproto", "udp", "dport", "80");
        return IpRoute2Json.ParseRouteLookup(json, family);
    }

    public IReadOnlyDictionary<SysctlKey, string> GetSysctls(IEnumerable<SysctlKey> keys)
    {
        var wanted = keys.Distinct().ToArray();
        var values = new Dictionary<SysctlKey, string>();
        if (wanted.Length == 0) return values;
        // grep -H prints "path:value" for every line of every file; ':' cannot occur in a /proc/sys path.
        var (file, arguments) = Namespace.Exec("grep", ["-H", "-s", "", .. wanted.Select(k => "/proc/sys/" + k.Path)]);
        var result = _runner.Run(file, arguments);
        // 1: nothing matched; 2: some file was missing. Both still list what exists.
        if (result.ExitCode is not (0 or 1 or 2)) throw Failure(file, arguments, result);
        var byPath = wanted.ToDictionary(k => "/proc/sys/" + k.Path);
        foreach (var line in result.StandardOutput.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || !byPath.TryGetValue(line[..colon], out var key)) continue;
            values[key] = values.TryGetValue(key, out var earlier) ? earlier + "\n" + line[(colon + 1)..] : line[(colon + 1)..];
        }
        return values;
    }

    public IReadOnlyList<NftablesTable> GetNftablesTables()
    {
        var (file, arguments) = Namespace.Exec("nft", ["-j", "list", "tables"]);
        var result = _runner.Run(file, arguments);
        if (result.ExitCode != 0) throw Failure(file, arguments, result);
        using var document = JsonDocument.Parse(result.StandardOutput);
        var tables = new List<NftablesTable>();
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("table", out var table))
                tables.Add(new NftablesTable(table.GetProperty("family").GetString()!, table.GetProperty("name").GetString()!));
        }
        return tables;
    }

    public string? GetNftablesTable(NftablesTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (file, arguments) = Namespace.Exec("nft", ["list", "table", table.Family, table.Name]);
        var result = _runner.Run(file, arguments);
        if (result.ExitCode == 0) return result.StandardOutput;
        if (result.StandardError.Contains("No such file or directory", StringComparison.Ordinal)) return null;
        throw Failure(file, arguments, result);
    }

    public void Apply(KernelBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IpCommands.Count > 0) RunBatch("ip", batch.IpCommands);
        if (batch.BridgeCommands.Count > 0) RunBatch("bridge", batch.BridgeCommands);
        if (batch.Sysctls.Count > 0) WriteSysctls(batch.Sysctls);
    }

    public void ApplyNftables(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var (file, arguments) = Namespace.Exec("nft", ["-f", "-"]);
        var result = _runner.Run(file, arguments, script);
        if (result.ExitCode == 0) return;
        // nft reports "/dev/stdin:LINE:COLUMNS: Error: ..." for each problem; the first names the failing line.
        var match = NftErrorLine().Match(result.StandardError);
        int? line = match.Success ? int.Parse(match.Groups[1].ValueSpan) : null;
        var lines = script.Split('\n');
        throw new KernelCommandException(CommandText.Of(file, arguments), result.ExitCode, result.StandardError.Trim(),
            line, line is { } n && n <= lines.Length ? lines[n - 1].Trim() : null);
    }

    private void RunBatch(string tool, IReadOnlyList<string> lines)
    {
        IReadOnlyList<string> arguments = [.. Namespace.IpArguments, "-batch", "-"];
        var result = _runner.Run(tool, arguments, string.Join('\n', lines) + "\n");
        if (result.ExitCode == 0) return;
        // iproute2 stops at the first failing line and says "Command failed -:N"; a line it cannot even parse
        // ends the process (exit 255) with only its complaint.
        var match = BatchFailedLine().Match(result.StandardError);
        int? line = match.Success ? int.Parse(match.Groups[1].ValueSpan) : null;
        var message = BatchFailedLine().Replace(result.StandardError, "").Trim();
        throw new KernelCommandException(CommandText.Of(tool, arguments), result.ExitCode, message,
            line, line is { } n && n <= lines.Count ? lines[n - 1] : null);
    }

    private void WriteSysctls(IReadOnlyList<KeyValuePair<SysctlKey, string>> sysctls)
    {
        // One shell for all writes, stopping at the first that fails and naming it. Keys and values are
        // passed as arguments, never spliced into the script.
        const string script = """
            n=0
            while [ $# -gt 0 ]; do
              n=$((n+1))
              if ! printf '%s\n' "$2" > "/proc/sys/$1"; then echo "sysctl write $n failed: $1 = $2" >&2; exit 1; fi
              shift 2
            done
            """;
        var (file, arguments) = Namespace.Exec("sh", ["-c", script, "sh", .. sysctls.SelectMany(s => new[] { s.Key.Path, s.Value })]);
        var result = _runner.Run(file, arguments);
        if (result.ExitCode == 0) return;
        var match = SysctlFailedWrite().Match(result.StandardError);
        int? failed = match.Success ? int.Parse(match.Groups[1].ValueSpan) : null;
        var shown = arguments.Select(a => ReferenceEquals(a, script) ? "<write /proc/sys>" : a).ToArray();
        throw new KernelCommandException(CommandText.Of(file, shown), result.ExitCode, result.StandardError.Trim(), failed,
            failed is { } n && n <= sysctls.Count ? $"{sysctls[n - 1].Key} = {sysctls[n - 1].Value}" : null);
    }

    private string Ip(params string[] arguments) => Run("ip", [.. Namespace.IpArguments, .. arguments]);

    private string Run(string file, IReadOnlyList<string> arguments)
    {
        var result = _runner.Run(file, arguments);
        return result.ExitCode == 0 ? result.StandardOutput : throw Failure(file, arguments, result);
    }

    private static KernelCommandException Failure(string file, IReadOnlyList<string> arguments, CommandResult result) =>
        new(CommandText.Of(file, arguments), result.ExitCode, result.StandardError);

    private static string FamilyOption(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => "-4",
        AddressFamily.InterNetworkV6 => "-6",
        _ => throw new ArgumentException($"address family: value \"{family}\": must be InterNetwork or InterNetworkV6", nameof(family)),
    };

    [GeneratedRegex(@"^Command failed -:(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex BatchFailedLine();

    [GeneratedRegex(@"^/dev/stdin:(\d+):", RegexOptions.Multiline)]
    private static partial Regex NftErrorLine();

    [GeneratedRegex(@"^sysctl write (\d+) failed:", RegexOptions.Multiline)]
    private static partial Regex SysctlFailedWrite();
}
