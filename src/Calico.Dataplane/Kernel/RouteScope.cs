namespace Calico.Dataplane.Kernel;

/// <summary>Route and address scopes (RT_SCOPE_*), and their names as iproute2 prints them.</summary>
public static class RouteScope
{
    /// <summary>Printed "global" by iproute2.</summary>
    public const int Universe = 0;
    public const int Site = 200;
    public const int Link = 253;
    public const int Host = 254;
    public const int Nowhere = 255;

    private static readonly Dictionary<string, int> BuiltIn = new(StringComparer.Ordinal)
    {
        ["global"] = 0, ["universe"] = 0, ["site"] = 200, ["link"] = 253, ["host"] = 254, ["nowhere"] = 255,
    };

    private static readonly Lazy<IReadOnlyDictionary<string, int>> Configured = new(() =>
        IpRoute2NameTable.Load("rt_scopes", BuiltIn, 255));

    /// <summary>Reads a scope as iproute2 prints it: a number, or a name ("global", "link", "host", ...).</summary>
    public static bool TryParse(string? text, out int scope) =>
        IpRoute2NameTable.TryParse(text, Configured.Value, 255, out scope);
}
