namespace Calico.Dataplane.Kernel;

/// <summary>Well-known routing table numbers, and table names as iproute2 prints them.</summary>
public static class RouteTable
{
    public const int Unspecified = 0;
    public const int Default = 253;
    public const int Main = 254;
    public const int Local = 255;

    private static readonly Dictionary<string, int> BuiltIn = new(StringComparer.Ordinal)
    {
        ["unspec"] = 0, ["default"] = 253, ["main"] = 254, ["local"] = 255,
    };

    private static readonly Lazy<IReadOnlyDictionary<string, int>> Configured = new(() =>
        IpRoute2NameTable.Load("rt_tables", BuiltIn, int.MaxValue));

    /// <summary>Reads a table as iproute2 prints it: a number, or a name from its table or /etc/iproute2/rt_tables.</summary>
    public static bool TryParse(string? text, out int table) =>
        IpRoute2NameTable.TryParse(text, Configured.Value, int.MaxValue, out table);
}
