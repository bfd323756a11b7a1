using System.Management.Automation;
using Calico.Resources;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// -Name as PowerShell's Get cmdlets treat it: wildcards filter quietly; a plain name that matches nothing is an error
/// (ObjectNotFound), as Get-Item does for a missing path.
/// </summary>
internal sealed class NameFilter
{
    private readonly List<(string Text, WildcardPattern Pattern, bool IsWildcard)> _patterns;

    public NameFilter(string[]? names)
    {
        _patterns = (names ?? Array.Empty<string>())
            .Where(n => !string.IsNullOrEmpty(n))
            .Select(n => (n, WildcardPattern.Get(n, WildcardOptions.None), WildcardPattern.ContainsWildcardCharacters(n)))
            .ToList();
    }

    public bool IsEmpty => _patterns.Count == 0;

    public bool Matches(string name) => _patterns.Count == 0 || _patterns.Any(p => p.Pattern.IsMatch(name));

    /// <summary>The plain names (no wildcards) that none of <paramref name="found"/> carries.</summary>
    public IEnumerable<string> Missing(IEnumerable<CalicoResource> found)
    {
        var names = new HashSet<string>(found.Select(r => r.Name), StringComparer.Ordinal);
        return _patterns.Where(p => !p.IsWildcard && !names.Contains(p.Text)).Select(p => p.Text);
    }
}
