using System.Text.RegularExpressions;

namespace Calico.Dataplane.Autodetection;

/// <summary>
/// Interface-name regexes as calico-node applies them: Go regexp (RE2), unanchored, several joined into one
/// "(a)|(b)" alternation. .NET's non-backtracking engine is used because it refuses what RE2 refuses
/// (back-references, look-arounds) instead of quietly matching differently.
/// </summary>
internal static class InterfaceRegex
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>The regex, or null with the reason it is invalid.</summary>
    public static Regex? TryCompile(string pattern, out string? error)
    {
        error = null;
        try
        {
            return new Regex(pattern, Options);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The single alternation calico-node builds from a list (interfaces.go GetInterfaces), or null with the reason it is invalid.</summary>
    public static Regex? TryCombine(IReadOnlyList<string> patterns, out string? error) =>
        TryCompile("(" + string.Join(")|(", patterns) + ")", out error);
}
