using System.Globalization;

namespace Calico.Dataplane.Kernel;

/// <summary>
/// Reads iproute2's number↔name tables (rt_protos, rt_scopes, rt_tables) the way iproute2 does: its built-in
/// names, then /etc/iproute2/NAME and NAME.d/*.conf (and /usr/share/iproute2, where newer releases keep them).
/// Lines are "number name", '#' starts a comment; numbers may be hex (0x50).
/// </summary>
internal static class IpRoute2NameTable
{
    private static readonly string[] Directories = ["/usr/share/iproute2", "/etc/iproute2"];

    public static IReadOnlyDictionary<string, int> Load(string table, IReadOnlyDictionary<string, int> builtIn, int max)
    {
        var names = new Dictionary<string, int>(builtIn, StringComparer.Ordinal);
        foreach (var directory in Directories)
        {
            var files = new List<string> { Path.Combine(directory, table) };
            var dropIns = Path.Combine(directory, table + ".d");
            if (Directory.Exists(dropIns)) files.AddRange(Directory.GetFiles(dropIns, "*.conf").Order(StringComparer.Ordinal));
            foreach (var file in files.Where(File.Exists))
            {
                foreach (var line in SafeReadLines(file))
                {
                    var text = line.Split('#', 2)[0];
                    var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length >= 2 && TryParseNumber(fields[0], max, out var number)) names[fields[1]] = number;
                }
            }
        }
        return names;
    }

    public static bool TryParse(string? text, IReadOnlyDictionary<string, int> names, int max, out int value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text)) return false;
        return TryParseNumber(text, max, out value) || names.TryGetValue(text, out value);
    }

    private static bool TryParseNumber(string text, int max, out int value)
    {
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok && value >= 0 && value <= max;
    }

    private static IEnumerable<string> SafeReadLines(string file)
    {
        try { return File.ReadAllLines(file); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}
