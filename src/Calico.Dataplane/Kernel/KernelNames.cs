using System.Text;

namespace Calico.Dataplane.Kernel;

/// <summary>
/// Checks the words a batch line is built from, so that a bad name fails here, naming the value, instead of
/// turning into a different `ip` command (a space or '#' would split or end the line).
/// </summary>
internal static class KernelNames
{
    /// <summary>A device name as the kernel accepts it (dev_valid_name): 1-15 bytes, no '/', ':' or whitespace.</summary>
    public static string Device(string name, string field = "device")
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 15 || name == "." || name == ".."
            || name.Any(c => c is '/' or ':' or '#' or '"' or '\'' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new ArgumentException($"{field}: value \"{name}\": not a device name (1-15 bytes; no '/', ':', quotes, '#' or whitespace)", field);
        return name;
    }

    /// <summary>A 48-bit MAC address "aa:bb:cc:dd:ee:ff", returned in lower case as iproute2 prints it.</summary>
    public static string Mac(string mac, string field = "MAC address")
    {
        ArgumentNullException.ThrowIfNull(mac);
        var parts = mac.Split(':');
        if (parts.Length != 6 || parts.Any(p => p.Length != 2 || !p.All(char.IsAsciiHexDigit)))
            throw new ArgumentException($"{field}: value \"{mac}\": not a MAC address (six hex pairs separated by ':')", field);
        return mac.ToLowerInvariant();
    }

    public static string Namespace(NetworkNamespace target, string field = "namespace") =>
        target.Name ?? throw new ArgumentException($"{field}: a link can only be moved to a named namespace", field);
}
