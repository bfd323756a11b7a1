using System.Text.RegularExpressions;
using Calico.Net;
using Calico.Serialization;

namespace Calico.Dataplane.Autodetection;

/// <summary>The kinds of IP_AUTODETECTION_METHOD calico-node knows.</summary>
public enum AutodetectionKind
{
    FirstFound,
    Interface,
    SkipInterface,
    CanReach,
    Cidr,
    KubernetesInternalIP,
}

/// <summary>
/// An IP_AUTODETECTION_METHOD (or IP6_AUTODETECTION_METHOD) value, read exactly as calico-node reads it
/// (autodetection_methods.go AutoDetectCIDR): empty or "first-found"; "interface=", "skip-interface=" and
/// "cidr=" lists split on commas with optional whitespace around them; "can-reach=" a destination;
/// "kubernetes-internal-ip". Interface regexes are Go (RE2) syntax, unanchored.
/// </summary>
public sealed record AutodetectionMethod
{
    private const string InterfacePrefix = "interface=";
    private const string SkipInterfacePrefix = "skip-interface=";
    private const string CidrPrefix = "cidr=";
    private const string CanReachPrefix = "can-reach=";
    private const string KubernetesInternalIPPrefix = "kubernetes-internal-ip";

    private static readonly Regex ListSeparator = new(@"\s*,\s*", RegexOptions.CultureInvariant);

    private AutodetectionMethod(string text, AutodetectionKind kind)
    {
        Text = text;
        Kind = kind;
    }

    public static AutodetectionMethod FirstFound { get; } = new("first-found", AutodetectionKind.FirstFound);

    /// <summary>The value as given ("first-found" when it was empty).</summary>
    public string Text { get; }

    public AutodetectionKind Kind { get; }

    /// <summary>interface= / skip-interface= regexes as written.</summary>
    public IReadOnlyList<string> InterfacePatterns { get; private init; } = [];

    /// <summary>cidr= prefixes.</summary>
    public IReadOnlyList<IPPrefix> Cidrs { get; private init; } = [];

    /// <summary>can-reach= destination: an IP address or a host name.</summary>
    public string? Destination { get; private init; }

    /// <summary>Reads a method; any value calico-node would reject (or fail on) is an error naming it.</summary>
    /// <param name="variable">The variable named in errors: IP_AUTODETECTION_METHOD or IP6_AUTODETECTION_METHOD.</param>
    /// <exception cref="AutodetectionException">Not a method, an invalid CIDR, or an invalid regex.</exception>
    public static AutodetectionMethod Parse(string? text, string variable = "IP_AUTODETECTION_METHOD")
    {
        if (string.IsNullOrEmpty(text) || text == "first-found") return FirstFound;
        if (text.StartsWith(InterfacePrefix, StringComparison.Ordinal))
            return WithPatterns(text, AutodetectionKind.Interface, text[InterfacePrefix.Length..], variable);
        if (text.StartsWith(CidrPrefix, StringComparison.Ordinal))
        {
            var cidrs = new List<IPPrefix>();
            foreach (var part in ListSeparator.Split(text[CidrPrefix.Length..]))
            {
                if (!IPPrefix.TryParse(part, out var cidr)) throw Error(variable, text, $"invalid CIDR \"{part}\"");
                cidrs.Add(cidr.Network);
            }
            return new AutodetectionMethod(text, AutodetectionKind.Cidr) { Cidrs = cidrs };
        }
        if (text.StartsWith(CanReachPrefix, StringComparison.Ordinal))
        {
            var destination = text[CanReachPrefix.Length..];
            if (destination.Length == 0) throw Error(variable, text, "can-reach= needs an IP address or a host name");
            return new AutodetectionMethod(text, AutodetectionKind.CanReach) { Destination = destination };
        }
        if (text.StartsWith(SkipInterfacePrefix, StringComparison.Ordinal))
            return WithPatterns(text, AutodetectionKind.SkipInterface, text[SkipInterfacePrefix.Length..], variable);
        // calico-node tests only the prefix here.
        if (text.StartsWith(KubernetesInternalIPPrefix, StringComparison.Ordinal))
            return new AutodetectionMethod(text, AutodetectionKind.KubernetesInternalIP);
        throw Error(variable, text,
            "not an autodetection method: use first-found, interface=REGEX, skip-interface=REGEX, can-reach=DESTINATION, cidr=CIDR or kubernetes-internal-ip");
    }

    public override string ToString() => Text;

    private static AutodetectionMethod WithPatterns(string text, AutodetectionKind kind, string list, string variable)
    {
        var patterns = ListSeparator.Split(list);
        // calico-node compiles the list as one alternation, so that is what must be valid.
        if (InterfaceRegex.TryCombine(patterns, out var error) is null)
        {
            foreach (var pattern in patterns)
            {
                if (InterfaceRegex.TryCompile(pattern, out var detail) is null)
                    throw Error(variable, text, $"invalid interface regex \"{pattern}\": {detail}");
            }
            throw Error(variable, text, $"invalid interface regexes: {error}");
        }
        return new AutodetectionMethod(text, kind) { InterfacePatterns = patterns };
    }

    private static AutodetectionException Error(string variable, string value, string message) =>
        new(new FieldError { Field = variable, Value = value, Message = message });
}

/// <summary>An autodetection setting that calico-node would refuse; <see cref="Error"/> names the variable, the value and why.</summary>
public sealed class AutodetectionException : Exception
{
    public AutodetectionException(FieldError error) : base(error.ToString()) => Error = error;

    public FieldError Error { get; }
}
